// The walk: one pass over the ledger in seq order, recomputing leaves and chains, feeding the
// Merkle tree, comparing each claim as its size is passed, and recording what it saw in a Walk.
import type postgres from 'postgres';
import { entryLeafHash } from '../entry.js';
import { chainHash, GENESIS_CHAIN, HASH_SIZE } from '../hash.js';
import { MerkleFrontier } from '../merkle.js';
import type { Claim } from './checkpoints.js';
import { MAX_ISSUES, MAX_SHIFT_SEARCHES, MAX_SUSPECTS } from './limits.js';
import { MoveSet } from './move-set.js';
import type { RetainedStart } from './retained.js';
import type { Settings } from './types.js';

const PAGE_SIZE = 2_000;
// The writer's clock and the database's may disagree a little; more than this is not skew.
const CLOCK_SKEW_MS = 5 * 60_000;
// A row whose leaf fails is re-hashed as if it had a nearby seq, to recognise a renumbering.
const SHIFT_WINDOW = 8;
const ZERO_HASH = Buffer.alloc(HASH_SIZE);

export type Walk = {
  entries: number;
  maxSeq: number;
  gaps: { from: number; to: number }[];
  duplicateSeqs: number[];
  leafFailures: Map<number, string>;
  columnIssues: Map<number, string[]>;
  chainBreaks: number[];
  recordedBackwards: { seq: number; recordedAt: string; previous: string }[];
  occurredFuture: { seq: number; occurredAt: string; recordedAt: string }[];
  noIntake: { seq: number; eventId: string; key: string; unstamped: boolean }[];
  intakeEventDiffers: number[];
  intakeSeqDiffers: { seq: number; intakeSeq: number }[];
  moves: MoveSet;
  suspects: Map<number, { recordedAt: string; event: unknown; leaf?: Buffer }>;
};

type LedgerRow = {
  seq: string;
  event_id: string;
  idempotency_key: string;
  event_type: string;
  occurred_ms: number;
  recorded_ms: number;
  event: unknown;
  leaf_hash: Buffer;
  chain_hash: Buffer;
  intake_id: string | null;
  intake_seq: string | null;
  intake_event_matches: boolean | null;
};

export async function walkLedger(
  tx: postgres.TransactionSql,
  claims: Claim[],
  settings: Settings,
  start?: RetainedStart,
): Promise<Walk> {
  const { since } = settings;
  const [counted] = await tx<{ total: string }[]>`select count(*) as total from audit_ledger`;
  const total = Number(counted?.total ?? 0);
  const walk: Walk = {
    entries: 0,
    maxSeq: 0,
    gaps: [],
    duplicateSeqs: [],
    leafFailures: new Map(),
    columnIssues: new Map(),
    chainBreaks: [],
    recordedBackwards: [],
    occurredFuture: [],
    noIntake: [],
    intakeEventDiffers: [],
    intakeSeqDiffers: [],
    moves: new MoveSet(),
    suspects: new Map(),
  };
  // A pruned ledger continues from its boundary checkpoint (retained.ts), else from genesis.
  const frontier = start ? MerkleFrontier.fromJSON(start.frontier.toJSON()) : new MerkleFrontier();
  let next = start?.seq ?? 1;
  let lastSeq = next - 1;
  let prevChain: Buffer = start?.chainHead ?? GENESIS_CHAIN;
  // What the previous row's chain should have been: lets the row after a corrupted chain value
  // verify, so one altered chain_hash is reported once, not twice.
  let prevChainExpected: Buffer | undefined = prevChain;
  let prevRecordedAt: number | undefined;
  let lastOffset: number | undefined;
  let shiftSearches = 0;
  // Claims below the boundary sign pruned entries: `audit verify --archive` checks those.
  let claimIndex = claims.findIndex((claim) => claim.size >= lastSeq);
  if (claimIndex < 0) claimIndex = claims.length;

  const evaluateClaims = (upTo: number) => {
    while (claimIndex < claims.length && claims[claimIndex]!.size <= upTo) {
      const claim = claims[claimIndex++]!;
      claim.matched = frontier.size === claim.size && frontier.root().equals(claim.root);
      if (!claim.matched) claim.ours = frontier.toJSON();
      if (claim.chainHead && lastSeq === claim.size)
        claim.chainHeadMatches = prevChain.equals(claim.chainHead);
    }
  };
  evaluateClaims(lastSeq);

  // A declared cursor, not a paged portal: PostgreSQL then plans for the first rows (index scan
  // in seq order, intake looked up per row) instead of sorting a million-row join up front.
  // Rows below `since` are only hashed into the tree: their payload is not even fetched.
  await tx.unsafe(`
    declare audit_verify_walk no scroll cursor for
    select l.seq, l.event_id, l.idempotency_key, l.event_type,
           (extract(epoch from l.occurred_at) * 1000)::float8 as occurred_ms,
           (extract(epoch from l.recorded_at) * 1000)::float8 as recorded_ms,
           case when l.seq >= ${since} then l.event end as event, l.leaf_hash, l.chain_hash,
           i.id as intake_id, i.seq as intake_seq, (i.event = l.event) as intake_event_matches
    from audit_ledger l
    left join audit_intake i on i.idempotency_key = l.idempotency_key and l.seq >= ${since}
    order by l.seq`);

  for (;;) {
    const rows = await tx.unsafe<LedgerRow[]>(`fetch ${PAGE_SIZE} from audit_verify_walk`);
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = Number(row.seq);
      evaluateClaims(seq - 1);
      walk.entries += 1;
      if (seq < next) push(walk.duplicateSeqs, seq);
      else if (seq > next) push(walk.gaps, { from: next, to: seq - 1 });
      next = Math.max(next, seq + 1);
      walk.maxSeq = Math.max(walk.maxSeq, seq);
      const checked = seq >= since;

      const storedLeaf = isHash(row.leaf_hash) ? row.leaf_hash : undefined;
      let leaf = storedLeaf;
      if (checked) {
        const recordedAt = new Date(row.recorded_ms).toISOString();
        const recomputed = leafOf(seq, recordedAt, row.event);
        leaf ??= recomputed;
        if (!storedLeaf || !recomputed?.equals(storedLeaf)) {
          if (walk.leafFailures.size < MAX_ISSUES) {
            walk.leafFailures.set(
              seq,
              !storedLeaf
                ? `stored leaf hash is ${row.leaf_hash.length} bytes, not ${HASH_SIZE}`
                : !recomputed
                  ? 'its event has no canonical JSON form'
                  : 'its content no longer hashes to its stored leaf ' +
                    `${storedLeaf.toString('hex').slice(0, 16)}…`,
            );
          }
          // A leaf that hashes right under another seq is an entry moved or renumbered; try the
          // seq its intake row was stamped with, the offset of the run so far, then neighbours.
          const intakeSeq = row.intake_seq === null ? undefined : Number(row.intake_seq);
          const candidates = [intakeSeq, lastOffset === undefined ? undefined : seq + lastOffset];
          if (shiftSearches++ < MAX_SHIFT_SEARCHES) {
            for (let d = 1; d <= SHIFT_WINDOW; d++) candidates.push(seq - d, seq + d);
          }
          const writtenAs = storedLeaf
            ? candidates.find(
                (candidate) =>
                  candidate !== undefined &&
                  candidate >= 1 &&
                  candidate !== seq &&
                  leafOf(candidate, recordedAt, row.event)?.equals(storedLeaf),
              )
            : undefined;
          if (writtenAs !== undefined) {
            // Its content is intact, only its position changed: a move, not an edit.
            walk.leafFailures.delete(seq);
            walk.moves.add(seq, writtenAs, 'row');
            lastOffset = writtenAs - seq;
          } else if (walk.suspects.size < MAX_SUSPECTS) {
            walk.suspects.set(seq, {
              recordedAt,
              event: row.event,
              ...(storedLeaf ? { leaf: storedLeaf } : {}),
            });
          }
        }
        checkColumns(walk, seq, row);
        checkDates(walk, seq, row, prevRecordedAt);
        checkIntake(walk, seq, row);
      }
      leaf ??= ZERO_HASH;
      frontier.append(leaf);

      const storedChain = isHash(row.chain_hash) ? row.chain_hash : undefined;
      if (checked) {
        const expected = chainHash(prevChain, leaf);
        const links =
          storedChain !== undefined &&
          (expected.equals(storedChain) ||
            (prevChainExpected !== undefined && chainHash(prevChainExpected, leaf).equals(storedChain)));
        if (!links) push(walk.chainBreaks, seq);
        prevChainExpected = expected;
        prevChain = storedChain ?? expected;
      } else {
        prevChainExpected = undefined;
        prevChain = storedChain ?? ZERO_HASH;
      }
      prevRecordedAt = row.recorded_ms;
      lastSeq = seq;
    }
    settings.onProgress?.(walk.entries, total);
  }
  await tx.unsafe('close audit_verify_walk');
  evaluateClaims(walk.maxSeq);
  return walk;
}

export function leafOf(seq: number, recordedAt: string, event: unknown): Buffer | undefined {
  try {
    return entryLeafHash({ seq, recorded_at: recordedAt, event });
  } catch {
    return undefined;
  }
}

// The denormalised columns are not hashed; searches and exports read them, so an edit there
// misleads a reader as much as an edit of the event.
function checkColumns(walk: Walk, seq: number, row: LedgerRow): void {
  const event = isRecord(row.event) ? row.event : {};
  const issues: string[] = [];
  if (event.event_id !== row.event_id)
    issues.push(`event_id column ${row.event_id} is not the event's ${String(event.event_id)}`);
  if (event.event_type !== row.event_type) {
    issues.push(`event_type column ${row.event_type} is not the event's ${String(event.event_type)}`);
  }
  const occurred = typeof event.occurred_at === 'string' ? Date.parse(event.occurred_at) : Number.NaN;
  if (occurred !== Math.trunc(row.occurred_ms)) {
    issues.push(`occurred_at column ${iso(row.occurred_ms)} is not the event's ${String(event.occurred_at)}`);
  }
  if (issues.length > 0 && walk.columnIssues.size < MAX_ISSUES) walk.columnIssues.set(seq, issues);
}

function checkDates(walk: Walk, seq: number, row: LedgerRow, previous: number | undefined): void {
  if (previous !== undefined && row.recorded_ms < previous) {
    push(walk.recordedBackwards, {
      seq,
      recordedAt: iso(row.recorded_ms),
      previous: iso(previous),
    });
  }
  const event = isRecord(row.event) ? row.event : {};
  const occurred = typeof event.occurred_at === 'string' ? Date.parse(event.occurred_at) : row.occurred_ms;
  if (occurred > row.recorded_ms + CLOCK_SKEW_MS) {
    push(walk.occurredFuture, {
      seq,
      occurredAt: new Date(occurred).toISOString(),
      recordedAt: iso(row.recorded_ms),
    });
  }
}

function checkIntake(walk: Walk, seq: number, row: LedgerRow): void {
  if (row.intake_id === null || row.intake_seq === null) {
    push(walk.noIntake, {
      seq,
      eventId: row.event_id,
      key: row.idempotency_key,
      unstamped: row.intake_id !== null,
    });
    return;
  }
  // An entry already recognised as moved by its leaf needs no second witness.
  if (Number(row.intake_seq) !== seq && !walk.moves.has(seq)) {
    push(walk.intakeSeqDiffers, { seq, intakeSeq: Number(row.intake_seq) });
  }
  if (row.intake_event_matches === false) push(walk.intakeEventDiffers, seq);
}

function push<T>(list: T[], item: T): void {
  if (list.length < MAX_ISSUES) list.push(item);
}

// Timestamps are read as epoch milliseconds, so the result does not depend on the type parsers
// the caller's client was configured with (drizzle turns timestamptz into strings).
function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isHash(value: unknown): value is Buffer {
  return Buffer.isBuffer(value) && value.length === HASH_SIZE;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
