// Files of a pack are written as streams and hashed as they are written, so a population of any
// size passes through in slices and its SHA-256 never needs a second read.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';

/** One written file: where, how big and its SHA-256. */
export type WrittenFile = { path: string; bytes: number; sha256: string };

/** A file being written: text goes in, the hash comes out at close. */
export type FileSink = { write(data: string | Buffer): Promise<void>; close(): Promise<WrittenFile> };

/** Opens `relative` under `root` for writing (parent folders made), hashing what is written. */
export function openFileSink(root: string, relative: string): FileSink {
  const full = path.join(root, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  const stream = createWriteStream(full);
  const hash = createHash('sha256');
  let bytes = 0;
  return {
    async write(data) {
      const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      hash.update(chunk);
      bytes += chunk.length;
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
      return { path: relative, bytes, sha256: hash.digest('hex') };
    },
  };
}

/** Writes a whole small file at once. */
export async function writeWholeFile(
  root: string,
  relative: string,
  content: string | Buffer,
): Promise<WrittenFile> {
  const sink = openFileSink(root, relative);
  await sink.write(content);
  return sink.close();
}

/** JSON as the pack writes it: two-space indented, keys in the order built, a final newline. */
export function packJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
