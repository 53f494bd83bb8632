// The tlog-witness add-checkpoint rules (https://c2sp.org/tlog-witness), as a pure function of
// the request, the trusted logs and the cosigned heads: which status to answer, and, when it
// cosigns, the new head to persist before answering. The server serialises calls, so checking
// and updating the head is one step.
import { type CosignerKey, cosign } from '../cosignature.js';
import { verifyConsistency } from '../proof-verify.js';
import {
  type Checkpoint,
  decodeBase64Strict,
  MalformedNoteError,
  type NoteVerifier,
  openNote,
  parseCheckpoint,
  splitNote,
  UnverifiedNoteError,
} from '../signed-note.js';
import type { CosignedHead } from './state.js';

/** The spec's cap on consistency proof lines (a proof for a tree of 2^63 leaves needs fewer). */
const MAX_PROOF_LINES = 63;

/** What the witness answers; `head` is set only when it cosigned and must persist first. */
export type AddCheckpointResult = {
  status: 200 | 400 | 403 | 404 | 409 | 422;
  body: string;
  contentType: string;
  /** Why it refused, for the refusal record and the log. */
  reason?: string;
  origin?: string;
  head?: CosignedHead;
};

/** The witness's view for one call: its key, trusted logs and the heads it cosigned. */
export type WitnessView = {
  key: CosignerKey;
  logs: ReadonlyMap<string, readonly NoteVerifier[]>;
  heads: Readonly<Record<string, CosignedHead>>;
};

const TEXT = 'text/plain; charset=utf-8';

/** Answers one add-checkpoint request body. */
export function addCheckpoint(
  view: WitnessView,
  request: string,
  now: Date = new Date(),
): AddCheckpointResult {
  const refuse = (status: AddCheckpointResult['status'], reason: string, origin?: string) => ({
    status,
    body: `${reason}\n`,
    contentType: TEXT,
    reason,
    ...(origin ? { origin } : {}),
  });
  let parsed: ParsedRequest;
  try {
    parsed = parseRequest(request);
  } catch (error) {
    return refuse(400, (error as Error).message);
  }
  const { oldSize, proof, note, checkpoint } = parsed;
  const { origin } = checkpoint;
  const verifiers = view.logs.get(origin);
  if (!verifiers) return refuse(404, `unknown log origin ${origin}`, origin);
  try {
    openNote(note, verifiers);
  } catch (error) {
    if (error instanceof UnverifiedNoteError) {
      return refuse(403, `no signature from a trusted key of ${origin}: ${error.message}`, origin);
    }
    return refuse(400, (error as Error).message, origin);
  }
  if (oldSize > checkpoint.size) {
    return refuse(400, `old size ${oldSize} is larger than the checkpoint size ${checkpoint.size}`, origin);
  }
  const head = view.heads[origin];
  const latest = head?.size ?? 0;
  if (oldSize !== latest) {
    return {
      status: 409,
      body: `${latest}\n`,
      contentType: 'text/x.tlog.size',
      reason: `old size ${oldSize} is not the latest cosigned size ${latest}`,
      origin,
    };
  }
  const rootHash = checkpoint.rootHash.toString('base64');
  if (head && checkpoint.size === head.size && rootHash !== head.rootHash) {
    return refuse(
      409,
      `checkpoint of size ${head.size} has another root than the one cosigned: a fork`,
      origin,
    );
  }
  if (oldSize === 0 && proof.length > 0) {
    return refuse(400, 'the consistency proof must be empty when the old size is 0', origin);
  }
  if (
    head &&
    !verifyConsistency({
      oldSize,
      newSize: checkpoint.size,
      oldRoot: Buffer.from(head.rootHash, 'base64'),
      newRoot: checkpoint.rootHash,
      proof,
    })
  ) {
    return refuse(422, `consistency proof from ${oldSize} to ${checkpoint.size} does not verify`, origin);
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    status: 200,
    body: cosign(parsed.body, view.key, timestamp),
    contentType: TEXT,
    origin,
    head: { size: checkpoint.size, rootHash, cosignedAt: now.toISOString() },
  };
}

type ParsedRequest = { oldSize: number; proof: Buffer[]; note: string; body: string; checkpoint: Checkpoint };

function parseRequest(request: string): ParsedRequest {
  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const end = request.indexOf('\n', at);
    if (end < 0)
      throw new MalformedNoteError('request must have an old size line, proof lines and a blank line');
    const line = request.slice(at, end);
    at = end + 1;
    if (line === '') break;
    lines.push(line);
  }
  const [oldLine, ...proofLines] = lines;
  const old = /^old (0|[1-9][0-9]*)$/.exec(oldLine ?? '');
  if (!old || !Number.isSafeInteger(Number(old[1]))) {
    throw new MalformedNoteError('the first line must be "old <size>" in decimal with no leading zeros');
  }
  if (proofLines.length > MAX_PROOF_LINES) {
    throw new MalformedNoteError(
      `at most ${MAX_PROOF_LINES} consistency proof lines, got ${proofLines.length}`,
    );
  }
  const proof = proofLines.map((line, i) => {
    const hash = decodeBase64Strict(line);
    if (hash?.length !== 32)
      throw new MalformedNoteError(`proof line ${i + 1} is not base64 of a 32-byte hash`);
    return hash;
  });
  const note = request.slice(at);
  const { body } = splitNote(note);
  return { oldSize: Number(old[1]), proof, note, body, checkpoint: parseCheckpoint(body) };
}
