// The pack as one zip, byte for byte the same for the same folder: entries in path order, one
// fixed modification time, the same file mode, and deflate (deterministic for one zlib).
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';

/** Zips `files` (paths relative to `dir`, in the order given) into `out`; returns its SHA-256 and size. */
export async function zipPack(
  dir: string,
  files: readonly string[],
  out: string,
  mtime: Date,
): Promise<{ sha256: string; bytes: number }> {
  const zip = new yazl.ZipFile();
  for (const file of files)
    zip.addFile(path.join(dir, file), file, { mtime, mode: 0o100644, compress: true });
  zip.end();
  const hash = createHash('sha256');
  let bytes = 0;
  const output = createWriteStream(out);
  zip.outputStream.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  zip.outputStream.pipe(output);
  await once(output, 'finish');
  return { sha256: hash.digest('hex'), bytes };
}
