// `grantflow evidence verify pack.zip`: everything an auditor needs to trust a pack, checked from
// the zip alone (no database, no server). The manifest's signature and every file's SHA-256; each
// population's count and hash against its description; every inclusion proof against the end
// checkpoint; the consistency proof from the start checkpoint; that the sample request is in the
// ledger under the seed checkpoint and every sample re-draws from the seed; that every cited event
// is proven; and that the OSCAL document is valid. Files are streamed, never held whole.
import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse';
import yauzl from 'yauzl';
import { checkProofBundle, verifyConsistency, verifySignedNote } from '../audit/proof-verify.js';
import { manifestNoteBody, PACK_FORMAT } from './manifest.js';
import { validateAssessmentResults } from './oscal-validate.js';
import { SampleDraw } from './sample.js';

/** One problem: the file it is in, the check that failed, and what was found. */
export type PackProblem = { file: string; check: string; detail: string };

/** The outcome: ok, what was checked (counts), and every problem. */
export type PackVerification = {
  ok: boolean;
  checked: Record<string, number>;
  problems: PackProblem[];
  notes: string[];
};

type Entry = yauzl.Entry;
type Zip = yauzl.ZipFile;

const SMALL = 64 * 1024 * 1024;

function openZip(file: string): Promise<{ zip: Zip; entries: Map<string, Entry> }> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('cannot open the zip'));
      const entries = new Map<string, Entry>();
      zip.on('entry', (entry: Entry) => {
        entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve({ zip, entries }));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function entryStream(zip: Zip, entry: Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error || !stream ? reject(error) : resolve(stream)));
  });
}

async function hashEntry(
  zip: Zip,
  entry: Entry,
  keep: boolean,
): Promise<{ sha256: string; bytes: number; content?: Buffer }> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of await entryStream(zip, entry)) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
    if (keep) chunks.push(buffer);
  }
  return { sha256: hash.digest('hex'), bytes, ...(keep ? { content: Buffer.concat(chunks) } : {}) };
}

async function* lines(zip: Zip, entry: Entry): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of await entryStream(zip, entry)) {
    rest += (chunk as Buffer).toString('utf8');
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest) yield rest;
}

/** One file of a pack, or undefined when it holds none of that name. */
export async function readPackEntry(file: string, name: string): Promise<Buffer | undefined> {
  const { zip, entries } = await openZip(file);
  try {
    const entry = entries.get(name);
    return entry ? (await hashEntry(zip, entry, true)).content : undefined;
  } finally {
    zip.close();
  }
}

/** The size and root a signed checkpoint states (its body's second and third lines). */
function checkpointFacts(body: string): { origin: string; size: number; root: string } {
  const [origin = '', size = '', root = ''] = body.split('\n');
  return { origin, size: Number(size), root: Buffer.from(root, 'base64').toString('hex') };
}

/** Verifies a pack file with the given verifier keys (the ledger's checkpoint key). */
export async function verifyPack(file: string, publicKeys: readonly string[]): Promise<PackVerification> {
  const problems: PackProblem[] = [];
  const notes: string[] = [];
  const checked: Record<string, number> = {};
  const count = (what: string) => {
    checked[what] = (checked[what] ?? 0) + 1;
  };
  const fail = (file: string, check: string, detail: string) => problems.push({ file, check, detail });

  const { zip, entries } = await openZip(file);
  try {
    const text = new Map<string, string>();
    /** A JSON file of the pack, or undefined (and a problem) when it does not parse. */
    const json = <T>(name: string, content: string | undefined): T | undefined => {
      if (content === undefined) return undefined;
      try {
        return JSON.parse(content) as T;
      } catch (error) {
        fail(name, 'JSON', (error as Error).message);
        return undefined;
      }
    };
    const small = async (name: string) => {
      const entry = entries.get(name);
      if (!entry) return undefined;
      if (!text.has(name)) text.set(name, (await hashEntry(zip, entry, true)).content!.toString('utf8'));
      return text.get(name);
    };

    // 1. The manifest and its signature.
    const manifestText = await small('manifest.json');
    const signature = await small('manifest.sig');
    if (!manifestText || !signature) {
      fail(manifestText ? 'manifest.sig' : 'manifest.json', 'present', 'missing from the pack');
      return { ok: false, checked, problems, notes };
    }
    const note = verifySignedNote(signature, publicKeys);
    const manifestHash = createHash('sha256').update(manifestText, 'utf8').digest('hex');
    if (!note.ok) fail('manifest.sig', 'signature', note.problems.join('; '));
    count('manifest signature');
    const manifest = json<{
      format: string;
      files: { path: string; sha256: string; bytes: number }[];
      ledger: { origin: string; start: number | null; end: number };
      request: { seq: number; eventId: string };
      framework: string;
      period: { label: string };
      controls: string[];
    }>('manifest.json', manifestText);
    if (!manifest?.files || !manifest.ledger) {
      if (manifest) fail('manifest.json', 'shape', 'no files or ledger section');
      return { ok: false, checked, problems, notes };
    }
    if (manifest.format !== PACK_FORMAT)
      fail('manifest.json', 'format', `${manifest.format} is not ${PACK_FORMAT}`);
    if (note.ok && note.body !== manifestNoteBody(manifest.ledger.origin, manifestHash)) {
      fail(
        'manifest.json',
        'signed hash',
        'manifest.json is not the manifest manifest.sig signs (for this origin)',
      );
    }

    // 2. Every file listed is there with its hash and size; nothing else is.
    const listed = new Map(manifest.files.map((entry) => [entry.path, entry]));
    for (const name of entries.keys()) {
      if (name.endsWith('/')) continue;
      if (name !== 'manifest.json' && name !== 'manifest.sig' && !listed.has(name))
        fail(name, 'listed in manifest', 'a file the manifest does not list');
    }
    for (const expected of manifest.files) {
      const entry = entries.get(expected.path);
      if (!entry) {
        fail(expected.path, 'present', 'listed in the manifest but missing from the pack');
        continue;
      }
      const keep =
        expected.bytes <= SMALL &&
        !expected.path.endsWith('.csv') &&
        !expected.path.endsWith('.jsonl') &&
        !expected.path.endsWith('.pdf');
      const got = await hashEntry(zip, entry, keep);
      if (keep) text.set(expected.path, got.content!.toString('utf8'));
      if (got.sha256 !== expected.sha256 || got.bytes !== expected.bytes) {
        fail(
          expected.path,
          'SHA-256',
          `manifest says ${expected.sha256} (${expected.bytes} bytes), file is ${got.sha256} (${got.bytes} bytes)`,
        );
      }
      count('file hashes');
    }

    // 3. The checkpoints: the end one (the seed) and, when there is one, the start one.
    const endNote = text.get('ledger/end-checkpoint.note');
    if (!endNote) {
      fail('ledger/end-checkpoint.note', 'present', 'missing');
      return { ok: false, checked, problems, notes };
    }
    const endResult = verifySignedNote(endNote, publicKeys);
    if (!endResult.ok) fail('ledger/end-checkpoint.note', 'signature', endResult.problems.join('; '));
    const end = checkpointFacts(endResult.body ?? '');
    if (end.size !== manifest.ledger.end)
      fail(
        'ledger/end-checkpoint.note',
        'size',
        `checkpoint holds ${end.size}, manifest says ${manifest.ledger.end}`,
      );
    count('checkpoints');
    const consistencyText = text.get('ledger/consistency.json');
    if (manifest.ledger.start !== null) {
      const startNote = text.get('ledger/start-checkpoint.note');
      const startResult = startNote ? verifySignedNote(startNote, publicKeys) : undefined;
      if (!startResult?.ok)
        fail('ledger/start-checkpoint.note', 'signature', startResult?.problems.join('; ') ?? 'missing');
      const start = checkpointFacts(startResult?.body ?? '');
      count('checkpoints');
      if (!consistencyText) fail('ledger/consistency.json', 'present', 'missing');
      else {
        const bundle = json<{
          oldSize: number;
          newSize: number;
          proof: string[];
          oldCheckpoint: string;
          newCheckpoint: string;
        }>('ledger/consistency.json', consistencyText);
        const proven =
          bundle !== undefined &&
          Array.isArray(bundle.proof) &&
          bundle.oldCheckpoint === startNote &&
          bundle.newCheckpoint === endNote &&
          bundle.oldSize === start.size &&
          bundle.newSize === end.size &&
          verifyConsistency({
            oldSize: start.size,
            newSize: end.size,
            oldRoot: start.root,
            newRoot: end.root,
            proof: bundle.proof,
          });
        if (!proven)
          fail(
            'ledger/consistency.json',
            'consistency proof',
            `does not prove the tree of ${end.size} extends the tree of ${start.size}`,
          );
        count('consistency proof');
      }
    } else {
      notes.push(
        'The pack has no start checkpoint: the period is proven against the end checkpoint only (see index.html).',
      );
    }

    // 4. Every inclusion proof, against the end checkpoint.
    const proven = new Map<number, { event_type?: string; details?: Record<string, unknown> }>();
    const proofsEntry = entries.get('ledger/inclusion-proofs.jsonl');
    if (!proofsEntry) fail('ledger/inclusion-proofs.jsonl', 'present', 'missing');
    else {
      let line = 0;
      for await (const text of lines(zip, proofsEntry)) {
        line += 1;
        if (!text) continue;
        const bundle = json<{
          event: { seq: number; event: { event_type?: string; details?: Record<string, unknown> } };
          checkpoint: string;
        }>('ledger/inclusion-proofs.jsonl', text);
        if (!bundle?.event) continue;
        const result = checkProofBundle(bundle, publicKeys, { origin: end.origin });
        if (!result.ok)
          fail('ledger/inclusion-proofs.jsonl', `inclusion proof, line ${line}`, result.problems.join('; '));
        else if (bundle.checkpoint !== endNote)
          fail(
            'ledger/inclusion-proofs.jsonl',
            `inclusion proof, line ${line}`,
            'proven against another checkpoint than the end checkpoint',
          );
        else proven.set(bundle.event.seq, bundle.event.event);
        count('inclusion proofs');
      }
    }

    // 5. The request: in the ledger, under the seed checkpoint, asking for this pack.
    const requested = proven.get(manifest.request.seq);
    if (!requested)
      fail(
        'ledger/inclusion-proofs.jsonl',
        'pack request',
        `no proof of the request (ledger entry ${manifest.request.seq})`,
      );
    else if (
      requested.event_type !== 'audit.evidence.requested' ||
      requested.details?.framework !== manifest.framework ||
      requested.details?.period !== manifest.period.label
    ) {
      fail(
        'ledger/inclusion-proofs.jsonl',
        'pack request',
        `entry ${manifest.request.seq} does not request this framework and period`,
      );
    }

    /** Every entry `what` cites must have an inclusion proof in the pack. */
    const requireProven = (file: string, check: string, what: string, seqs: readonly number[]) => {
      for (const seq of seqs) {
        if (!proven.has(seq)) fail(file, check, `${what} cites entry ${seq}, which has no inclusion proof`);
      }
    };

    // 6. Tests cite only proven events.
    for (const name of [...listed.keys()].filter((path) => path.startsWith('tests/'))) {
      const test = json<{ exceptions: { key: string; evidence: number[] }[] }>(name, text.get(name));
      for (const exception of test?.exceptions ?? []) {
        requireProven(name, 'evidence proven', `exception ${exception.key}`, exception.evidence);
      }
      count('tests');
    }

    // 7. Populations: the description's count and hash match the CSV; samples re-draw from the seed.
    type Sample = {
      control: string;
      size: number;
      populationFile: string;
      seed?: { rootHash: string };
      picked: { key: string; chain: number[] }[];
    };
    const samples = [...listed.keys()]
      .filter((path) => path.startsWith('samples/'))
      .flatMap((name) => {
        const sample = json<Sample>(name, text.get(name));
        return sample?.picked ? [{ name, sample }] : [];
      });
    for (const name of [...listed.keys()].filter((path) => /^populations\/[^/]+\.json$/.test(path))) {
      const description = json<{ file: string; rowCount: number; sha256: string; key: string }>(
        name,
        text.get(name),
      );
      const csvEntry = description ? entries.get(description.file) : undefined;
      if (!description || !csvEntry) continue;
      if (listed.get(description.file)?.sha256 !== description.sha256)
        fail(name, 'population hash', `${description.file}'s SHA-256 is not the one described`);
      const draws = samples
        .filter(({ sample }) => sample.populationFile === description.file)
        .map(({ name: sampleName, sample }) => ({
          sampleName,
          sample,
          draw: new SampleDraw(Buffer.from(end.root, 'hex'), sample.control, sample.size),
        }));
      let rows = 0;
      const parser = (await entryStream(zip, csvEntry)).pipe(
        parseCsv({ columns: true, relax_quotes: false }),
      );
      for await (const row of parser as AsyncIterable<Record<string, string>>) {
        rows += 1;
        for (const { draw } of draws) draw.offer(row[description.key] ?? '');
      }
      if (rows !== description.rowCount)
        fail(description.file, 'row count', `${rows} rows, described as ${description.rowCount}`);
      count('populations');
      for (const { sampleName, sample, draw } of draws) {
        const redrawn = draw.picked().map((pick) => pick.key);
        const picked = sample.picked.map((pick) => pick.key);
        if (sample.seed?.rootHash !== end.root)
          fail(sampleName, 'seed', 'the seed is not the end checkpoint’s root');
        if (JSON.stringify(redrawn) !== JSON.stringify(picked))
          fail(
            sampleName,
            're-draw',
            `re-drawn ${redrawn.join(', ') || 'nothing'}, pack has ${picked.join(', ') || 'nothing'}`,
          );
        for (const pick of sample.picked)
          requireProven(sampleName, 'chain proven', `sample ${pick.key}`, pick.chain);
        count('samples re-drawn');
      }
    }

    // 8. The OSCAL document.
    const oscal = text.get('oscal/assessment-results.json');
    if (!oscal) fail('oscal/assessment-results.json', 'present', 'missing');
    else {
      const document = json<unknown>('oscal/assessment-results.json', oscal);
      if (document !== undefined) {
        const result = validateAssessmentResults(document);
        for (const problem of result.problems)
          fail('oscal/assessment-results.json', 'OSCAL 1.0.6 schema', problem);
      }
      count('OSCAL schema');
    }
  } finally {
    zip.close();
  }
  return { ok: problems.length === 0, checked, problems, notes };
}
