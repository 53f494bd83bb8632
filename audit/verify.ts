// `grantflow audit verify`: recomputes the ledger from its rows and compares it with what was
// signed, then names each disagreement with a stable code and the position it concerns. An
// attacker is assumed to hold database superuser rights (and possibly the signing key), so no
// single column is trusted: leaves are recomputed from payloads, chains from leaves, Merkle roots
// from leaves, and roots are compared with signed checkpoints in the database and, when given,
// with the copies exported outside it.
//
// The ledger is read once, in seq order, through a declared cursor inside one REPEATABLE READ
// READ ONLY transaction: entries, checkpoints and intake rows come from one snapshot, so a
// sequencer running meanwhile causes no false findings. Stored leaves feed one MerkleFrontier,
// and each checkpoint's signed root is compared when the walk passes its size. Memory stays
// bounded whatever the ledger size: moves are kept as runs, everything else is capped.
//
// How the evidence combines: a payload edit leaves the stored leaf (and so every root) intact
// but no longer matching its payload, so it is named at its seq; an edit whose hashes were
// recomputed matches its leaf and chain but no longer the signed roots, and the intake row its
// writer submitted still holds the original event. A stored leaf that matches its payload under
// another seq, or an intake row stamped with another seq, shows an entry moved: runs of moves
// with one offset are read as a deletion or insertion with the rest renumbered, anything else as
// reordering. Consequences of a structural finding (a chain cut after a deleted row, a
// checkpoint no longer matching, orphaned intake rows) are not reported again.
//
// Limits: the intake is a second witness only while intake rows are kept (nothing prunes them
// today). An attacker who rewrites the ledger and forges the matching intake rows is still
// caught by the signed roots, but an insertion is then named payload_rewritten over a checkpoint
// range rather than row_inserted. With the signing key and no exported copies, a rewrite that is
// resealed leaves only the intake row as evidence, reported as intake_orphaned.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { entryLeafHash } from './entry.js';
import { chainHash, GENESIS_CHAIN, HASH_SIZE } from './hash.js';
import { MerkleFrontier, type MerkleFrontierState } from './merkle.js';
import {
  MalformedNoteError,
  type NoteVerifier,
  openNote,
  parseCheckpoint,
  UnverifiedNoteError,
} from './signed-note.js';

/** Every finding code, in the order the report lists them by kind. */
export const findingCodes = [
  'protection_disabled',
  'privileges_widened',
  'runtime_role_missing',
  'checkpoint_malformed',
  'checkpoint_unknown_key',
  'checkpoint_signature_invalid',
  'checkpoint_mismatch',
  'split_view',
  'payload_rewritten',
  'tail_truncated',
  'row_deleted',
  'row_inserted',
  'reordered',
  'payload_edited',
  'chain_broken',
  'backdated',
  'duplicate_event',
  'intake_orphaned',
  'intake_stalled',
] as const;

/** A stable name for one kind of problem; tools and runbooks may rely on these. */
export type FindingCode = (typeof findingCodes)[number];

/** 'error' findings make the ledger tampered; 'warning' findings are reported but do not. */
export type FindingSeverity = 'error' | 'warning';

/** One problem the verifier found, with where it is. */
export interface Finding {
  /** What kind of problem. */
  code: FindingCode;
  /** Whether it makes the ledger count as tampered. */
  severity: FindingSeverity;
  /** The ledger position concerned; the first one when `lastSeq` is set. */
  seq?: number;
  /** Last position of a range of entries, inclusive. */
  lastSeq?: number;
  /** For a moved entry: the seq it was written as (its leaf hash or intake row says so). */
  writtenAsSeq?: number;
  /** The audit_checkpoint row concerned (for an exported file: the id in its name). */
  checkpointId?: number;
  /** The other checkpoint row of a split view, when it is one. */
  otherCheckpointId?: number;
  /** The exported checkpoint file concerned, for findings about the export directory. */
  file?: string;
  /** A sentence an auditor can act on. */
  message: string;
}

/** What verifyLedger needs besides the connection. */
export interface VerifyOptions {
  /** Keys checkpoints may be signed with: the current one and every rotated-out one. */
  verifiers: readonly NoteVerifier[];
  /** Directory of exported checkpoint `.note` files (the copy outside the database) to compare. */
  exportDir?: string;
  /**
   * Report row-level findings (payload, chain, dates, intake, duplicates, moves) only for entries
   * ≥ since. Every leaf from seq 1 is still fed into the Merkle tree, so checkpoints are compared
   * in full, and gaps, duplicated positions and truncation are still reported anywhere.
   */
  since?: number;
  /** How long an intake row may wait unsequenced before it is reported; default 300 s. */
  intakeSlaSeconds?: number;
  /** The role the services connect as, whose grants must stay narrow; default grantflow_app. */
  runtimeRole?: string;
  /** Called after each page of entries with how many were read out of how many. */
  onProgress?: (done: number, total: number) => void;
}

/** The latest checkpoint whose signature verified, for the report's summary line. */
export interface CheckpointSummary {
  id: number;
  treeSize: number;
  rootHash: string;
  /** The `time` extension line of the signed note, when present. */
  time?: string;
  /** `name+keyid` of every key whose signature on it verified. */
  signedBy: string[];
}

/** The outcome of verifyLedger. */
export interface VerifyReport {
  /** 'error' only when verification could not run at all (e.g. the database is unreachable). */
  status: 'intact' | 'tampered' | 'error';
  /** Ledger entries read. */
  entries: number;
  /** Checkpoint rows in the database. */
  checkpoints: number;
  /** Checkpoint rows whose signature verified and whose root the ledger reproduces. */
  checkpointsVerified: number;
  /** Exported `.note` files read from exportDir. */
  exportedCheckpoints: number;
  latestCheckpoint?: CheckpointSummary;
  /** Entries after the latest verified checkpoint, not yet covered by any signature. */
  unsignedEntries: number;
  /** Row-level checks started at this seq (see VerifyOptions.since). */
  since?: number;
  findings: Finding[];
  /** Findings left out of `findings` because there were too many to list. */
  omittedFindings: number;
  /** Why verification could not run, when status is 'error'. */
  error?: string;
  durationMs: number;
}

const PAGE_SIZE = 2_000;
// The writer's clock and the database's may disagree a little; more than this is not skew.
const CLOCK_SKEW_MS = 5 * 60_000;
// A row whose leaf fails is re-hashed as if it had a nearby seq, to recognise a renumbering.
const SHIFT_WINDOW = 8;
// Caps that keep memory and hashing bounded on a badly damaged million-row ledger.
const MAX_SHIFT_SEARCHES = 10_000;
const MAX_SUSPECTS = 200;
const MAX_ISSUES = 10_000;
const MAX_FINDINGS = 10_000;
const ZERO_HASH = Buffer.alloc(HASH_SIZE);

/**
 * Verifies the audit ledger, its checkpoints, its intake and its database protections, and
 * reports every problem found. Read-only: connect as the owner, the runtime role or an auditor
 * role with SELECT on the audit tables. Never throws for a damaged ledger; status 'error' means
 * it could not verify at all.
 */
export async function verifyLedger(sql: postgres.Sql, options: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  const settings: Settings = {
    verifiers: options.verifiers,
    // Inlined into the cursor's SQL, so it must be a plain integer.
    since: Number.isFinite(options.since) ? Math.max(1, Math.floor(options.since!)) : 1,
    intakeSlaSeconds: options.intakeSlaSeconds ?? 300,
    runtimeRole: options.runtimeRole ?? 'grantflow_app',
    onProgress: options.onProgress,
  };
  try {
    // Files are read before the snapshot is taken: a checkpoint is exported only after its row
    // commits, so every file seen here has its row in the snapshot unless someone removed it.
    const exported = options.exportDir ? readExportDir(options.exportDir) : [];
    const outcome = await sql.begin('isolation level repeatable read read only', (tx) =>
      verifySnapshot(tx, settings, exported),
    );
    const findings = sortFindings(outcome.findings.list);
    const tampered = findings.some((finding) => finding.severity === 'error');
    return {
      status: tampered ? 'tampered' : 'intact',
      entries: outcome.entries,
      checkpoints: outcome.checkpoints,
      checkpointsVerified: outcome.checkpointsVerified,
      exportedCheckpoints: exported.length,
      ...(outcome.latest ? { latestCheckpoint: outcome.latest } : {}),
      unsignedEntries: outcome.unsignedEntries,
      ...(options.since !== undefined ? { since: settings.since } : {}),
      findings,
      omittedFindings: outcome.findings.omitted,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    return {
      status: 'error',
      entries: 0,
      checkpoints: 0,
      checkpointsVerified: 0,
      exportedCheckpoints: 0,
      unsignedEntries: 0,
      findings: [],
      omittedFindings: 0,
      error: error instanceof Error ? error.message : String(error),
      durationMs: Math.round(performance.now() - started),
    };
  }
}

/** Process exit code for a report: 0 intact, 1 tampered, 2 could not verify. */
export function exitCodeFor(report: VerifyReport): 0 | 1 | 2 {
  if (report.status === 'intact') return 0;
  return report.status === 'tampered' ? 1 : 2;
}

/** Renders a report for a person: one summary line, then one line per finding. */
export function formatVerifyReport(report: VerifyReport): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
  const entries = (n: number) => plural(n, 'entry', 'entries');
  if (report.status === 'error')
    return `ERROR: could not verify the audit ledger: ${report.error ?? 'unknown error'}\n`;
  const scope =
    report.since !== undefined && report.since > 1 ? ` (row checks from seq ${count(report.since)})` : '';
  const lines: string[] = [];
  if (report.status === 'intact') {
    const latest = report.latestCheckpoint;
    const signed = latest
      ? `latest checkpoint ${latest.id} (size ${count(latest.treeSize)}` +
        `${latest.time ? `, ${latest.time}` : ''}) ` +
        `signed by key ${latest.signedBy.join(', ')}`
      : 'no signed checkpoint yet, so nothing vouches for these entries beyond their own hashes';
    const tail =
      report.unsignedEntries > 0
        ? `; ${entries(report.unsignedEntries)} ${report.unsignedEntries === 1 ? 'awaits' : 'await'} ` +
          'the next checkpoint'
        : '';
    lines.push(
      `INTACT: ${entries(report.entries)}, ` +
        `${plural(report.checkpointsVerified, 'checkpoint')} verified, ${signed}${tail}${scope}`,
    );
  } else {
    const errors =
      report.findings.filter((finding) => finding.severity === 'error').length + report.omittedFindings;
    lines.push(
      `TAMPERED: ${plural(errors, 'finding')} (${entries(report.entries)}, ` +
        `${plural(report.checkpoints, 'checkpoint')})${scope}`,
    );
  }
  for (const finding of report.findings) {
    const where = locate(finding);
    const level = finding.severity === 'warning' ? 'warning ' : '';
    lines.push(`  ${level}${finding.code}${where ? ` [${where}]` : ''}: ${finding.message}`);
  }
  if (report.omittedFindings > 0)
    lines.push(`  ... and ${plural(report.omittedFindings, 'more finding')} not listed`);
  return `${lines.join('\n')}\n`;
}

function locate(finding: Finding): string {
  const parts: string[] = [];
  if (finding.seq !== undefined) {
    parts.push(
      finding.lastSeq !== undefined && finding.lastSeq !== finding.seq
        ? `seq ${finding.seq}..${finding.lastSeq}`
        : `seq ${finding.seq}`,
    );
  }
  if (finding.checkpointId !== undefined) parts.push(`checkpoint ${finding.checkpointId}`);
  if (finding.otherCheckpointId !== undefined) parts.push(`vs checkpoint ${finding.otherCheckpointId}`);
  if (finding.file !== undefined) parts.push(`file ${path.basename(finding.file)}`);
  return parts.join(', ');
}

type Settings = {
  verifiers: readonly NoteVerifier[];
  since: number;
  intakeSlaSeconds: number;
  runtimeRole: string;
  onProgress: VerifyOptions['onProgress'];
};

type ExportedNote = { file: string; id?: number; text: string };

/** Something signed that says "the first `size` leaves have this root". */
type Claim = {
  label: string;
  size: number;
  root: Buffer;
  checkpointId?: number;
  file?: string;
  /** Unsigned columns of a database checkpoint, used only to explain and narrow findings. */
  chainHead?: Buffer;
  frontier?: MerkleFrontier;
  /** Filled in by the walk. */
  matched?: boolean;
  ours?: MerkleFrontierState;
  chainHeadMatches?: boolean;
};

type DbCheckpoint = {
  id: number;
  note: string;
  trusted: boolean;
  claim?: Claim;
  summary?: CheckpointSummary;
};

/** How a moved entry was recognised: its own leaf, its payload under another's leaf, its intake row. */
type MoveEvidence = 'row' | 'event' | 'intake';

/** Consecutive positions holding entries written `offset` seqs away, recognised the same way. */
type MoveRun = { start: number; end: number; offset: number; how: MoveEvidence };

/**
 * Entries found at another position than the one they were written at, kept as runs: deleting
 * one early entry and renumbering a million later ones is one run, not a million map entries.
 */
class MoveSet {
  readonly runs: MoveRun[] = [];
  #written: Intervals | undefined;

  add(seq: number, writtenAs: number, how: MoveEvidence): void {
    this.#written = undefined;
    const offset = writtenAs - seq;
    // Binary search for the first run starting after seq: the walk appends in seq order, so
    // this is the end of the list except for the few moves recognised after the walk.
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.runs[mid]!.start <= seq) lo = mid + 1;
      else hi = mid;
    }
    const before = this.runs[lo - 1];
    if (before && seq <= before.end) return;
    const after = this.runs[lo];
    const joins = (run: MoveRun | undefined) => run && run.offset === offset && run.how === how;
    if (before && joins(before) && before.end === seq - 1) {
      before.end = seq;
      if (after && joins(after) && after.start === seq + 1) {
        before.end = after.end;
        this.runs.splice(lo, 1);
      }
    } else if (after && joins(after) && after.start === seq + 1) {
      after.start = seq;
    } else {
      this.runs.splice(lo, 0, { start: seq, end: seq, offset, how });
    }
  }

  get(seq: number): MoveRun | undefined {
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const run = this.runs[mid]!;
      if (seq < run.start) hi = mid - 1;
      else if (seq > run.end) lo = mid + 1;
      else return run;
    }
    return undefined;
  }

  has(seq: number): boolean {
    return this.get(seq) !== undefined;
  }

  /** Whether any position in from..to holds a moved entry. */
  touches(from: number, to: number): boolean {
    // Runs are sorted and disjoint: only the last one starting at or before `to` can reach `from`.
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.runs[mid]!.start <= to) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && this.runs[lo - 1]!.end >= from;
  }

  /** Whether an entry written as one of from..to was found somewhere. */
  wrote(from: number, to: number): boolean {
    if (!this.#written) {
      this.#written = new Intervals();
      for (const run of this.runs) this.#written.add(run.start + run.offset, run.end + run.offset);
    }
    return this.#written.overlaps(from, to);
  }

  /** The highest seq any moved entry was written as, or 0. */
  maxWritten(): number {
    return this.runs.reduce((max, run) => Math.max(max, run.end + run.offset), 0);
  }
}

/**
 * Closed integer intervals answering "does any overlap from..to?" in O(log n), so that a ledger
 * damaged in a million places is still analysed in reasonable time.
 */
class Intervals {
  #items: [number, number][] = [];
  #maxEnd: number[] = [];
  #indexed = true;

  add(from: number, to: number): void {
    this.#items.push([from, to]);
    this.#indexed = false;
  }

  overlaps(from: number, to: number): boolean {
    if (!this.#indexed) {
      this.#items.sort((a, b) => a[0] - b[0]);
      let max = Number.NEGATIVE_INFINITY;
      this.#maxEnd = this.#items.map(([, end]) => {
        max = Math.max(max, end);
        return max;
      });
      this.#indexed = true;
    }
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#items[mid]![0] <= to) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && this.#maxEnd[lo - 1]! >= from;
  }
}

type Walk = {
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

/** Findings collected so far; one per code and position, capped. */
class FindingList {
  readonly list: Finding[] = [];
  omitted = 0;
  readonly #keys = new Set<string>();
  // Positions a structural finding accounts for: consequences there (a broken chain after a
  // deleted row, an orphaned intake row of a moved entry) are not reported a second time.
  readonly #explained = new Intervals();

  add(finding: Omit<Finding, 'severity'> & { severity?: FindingSeverity }): void {
    // Findings without a position (protections, privileges, intake) are told apart by message.
    const located =
      finding.seq !== undefined || finding.checkpointId !== undefined || finding.file !== undefined;
    const key = located
      ? `${finding.code}:${finding.seq ?? ''}:${finding.checkpointId ?? ''}:${finding.file ?? ''}`
      : `${finding.code}::${finding.message}`;
    if (this.#keys.has(key)) return;
    this.#keys.add(key);
    if (this.list.length >= MAX_FINDINGS) {
      this.omitted += 1;
      return;
    }
    this.list.push({ severity: 'error', ...finding });
  }

  has(code: FindingCode, seq: number): boolean {
    return this.#keys.has(`${code}:${seq}::`);
  }

  explain(from: number, to: number): void {
    this.#explained.add(from, to);
  }

  isExplained(seq: number): boolean {
    return this.#explained.overlaps(seq, seq);
  }

  overlapsExplained(from: number, to: number): boolean {
    return this.#explained.overlaps(from, to);
  }
}

async function verifySnapshot(tx: postgres.TransactionSql, settings: Settings, exported: ExportedNote[]) {
  const findings = new FindingList();
  await checkProtection(tx, findings);
  await checkPrivileges(tx, settings.runtimeRole, findings);

  const checkpoints = await loadCheckpoints(tx, settings.verifiers, findings);
  const claims = [
    ...checkpoints.flatMap((checkpoint) => (checkpoint.claim ? [checkpoint.claim] : [])),
    ...exportedClaims(exported, checkpoints, settings.verifiers, findings),
  ].sort((a, b) => a.size - b.size);

  const walk = await walkLedger(tx, claims, settings);
  // The longest prefix every signed claim up to it agrees with: intake evidence about moved
  // entries is believed only past it, since inside it the ledger is proven and the intake is not.
  // A claim that disagrees (even one a larger checkpoint contradicts) ends it: in a split view,
  // the checkpoint the ledger matches may be the forged one.
  let vouched = 0;
  for (const claim of claims) {
    if (claim.matched === false) break;
    if (claim.matched) vouched = claim.size;
  }

  analyseMoves(walk, vouched, findings);
  reportStructure(walk, claims, findings);
  await reportMissingIntake(tx, walk, findings);
  reportClaims(claims, walk, findings);
  reportRows(walk, vouched, findings);
  await reportDuplicates(tx, settings.since, findings);
  await reportIntake(tx, settings, findings);

  const trusted = checkpoints.filter((checkpoint) => checkpoint.trusted && checkpoint.summary);
  const verified = trusted.filter((checkpoint) => checkpoint.claim?.matched);
  const latest = [...trusted].sort((a, b) => b.summary!.treeSize - a.summary!.treeSize || b.id - a.id)[0]
    ?.summary;
  return {
    findings,
    entries: walk.entries,
    checkpoints: checkpoints.length,
    checkpointsVerified: verified.length,
    latest,
    unsignedEntries: Math.max(0, walk.entries - (latest?.treeSize ?? 0)),
  };
}

// ---------------------------------------------------------------------------------------------
// Database protections

const ROW = 1;
const BEFORE = 2;
const DELETE = 8;
const UPDATE = 16;
const TRUNCATE = 32;

type Protection = {
  table: string;
  name: string;
  type: number;
  /** `UPDATE OF` columns; none means every column. */
  columns?: readonly string[];
  /** The only WHEN condition allowed, as pg_get_triggerdef prints it. */
  when?: string;
};

// What migrations 0002 and 0003 install, all running grantflow_append_only(); keep in step with
// them. Each is checked structurally, because a trigger can be neutered while still enabled:
// `create or replace function` can make the function return instead of raise, a recreated
// trigger can fire on fewer events or columns, and a WHEN clause can make it never fire.
const PROTECTIONS: readonly Protection[] = [
  { table: 'audit_ledger', name: 'audit_ledger_no_update_delete', type: ROW | UPDATE | DELETE },
  { table: 'audit_ledger', name: 'audit_ledger_no_truncate', type: TRUNCATE },
  { table: 'audit_checkpoint', name: 'audit_checkpoint_no_update_delete', type: ROW | UPDATE | DELETE },
  { table: 'audit_checkpoint', name: 'audit_checkpoint_no_truncate', type: TRUNCATE },
  {
    table: 'audit_intake',
    name: 'audit_intake_content_immutable',
    type: ROW | UPDATE,
    columns: ['id', 'idempotency_key', 'event_id', 'event', 'received_at'],
  },
  {
    table: 'audit_intake',
    name: 'audit_intake_stamp_once',
    type: ROW | UPDATE,
    columns: ['seq'],
    when: '(old.seq IS NOT NULL)',
  },
  { table: 'audit_intake', name: 'audit_intake_no_delete', type: ROW | DELETE },
  { table: 'audit_intake', name: 'audit_intake_no_truncate', type: TRUNCATE },
];
const PROTECTION_FUNCTION = 'grantflow_append_only';

type TriggerRow = {
  table: string;
  name: string;
  mode: string;
  type: number;
  columns: string[];
  definition: string;
  fn: string;
  source: string;
};

async function checkProtection(tx: postgres.TransactionSql, findings: FindingList): Promise<void> {
  const rows = await tx<TriggerRow[]>`
    select c.relname as table, t.tgname as name, t.tgenabled as mode, t.tgtype::int as type,
           array(select a.attname::text from unnest(t.tgattr::int2[]) as k(attnum)
                 join pg_attribute a on a.attrelid = t.tgrelid and a.attnum = k.attnum) as columns,
           pg_get_triggerdef(t.oid) as definition, p.proname as fn, p.prosrc as source
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_proc p on p.oid = t.tgfoid
    where c.oid in ('audit_ledger'::regclass, 'audit_checkpoint'::regclass, 'audit_intake'::regclass)
      and not t.tgisinternal`;
  const disabled = (message: string) => findings.add({ code: 'protection_disabled', message });
  for (const expected of PROTECTIONS) {
    const trigger = rows.find((row) => row.table === expected.table && row.name === expected.name);
    const where = `trigger ${expected.name} on ${expected.table}`;
    if (!trigger) {
      disabled(`${where} is missing: ${expected.table} rows can be changed or removed unnoticed`);
      continue;
    }
    for (const problem of protectionProblems(expected, trigger)) disabled(`${where} ${problem}`);
  }
  // Any other trigger could rewrite or drop rows as they are inserted.
  for (const row of rows) {
    if (!PROTECTIONS.some((expected) => expected.table === row.table && expected.name === row.name)) {
      disabled(
        `unexpected trigger ${row.name} on ${row.table} runs ${row.fn}(): it could alter or drop rows`,
      );
    }
  }
}

function protectionProblems(expected: Protection, trigger: TriggerRow): string[] {
  const problems: string[] = [];
  if (trigger.mode !== 'A') {
    const mode =
      trigger.mode === 'D' ? 'disabled' : `enabled ${trigger.mode === 'R' ? 'REPLICA' : 'ORIGIN'} only`;
    problems.push(`is ${mode}, not ENABLE ALWAYS`);
  }
  const type = expected.type | BEFORE;
  if ((trigger.type & type) !== type || (trigger.type & ROW) !== (expected.type & ROW)) {
    problems.push(`no longer fires BEFORE every ${describeEvents(expected.type)}`);
  }
  const columns = expected.columns ?? [];
  if (
    (columns.length === 0 && trigger.columns.length > 0) ||
    columns.some((column) => !trigger.columns.includes(column))
  ) {
    problems.push(`fires only on UPDATE OF ${trigger.columns.join(', ')}`);
  }
  const when = /\bWHEN \((.*)\) EXECUTE /.exec(trigger.definition)?.[1];
  if (when !== expected.when)
    problems.push(`has WHEN ${when ?? '(none)'}, so it may not fire when it should`);
  if (trigger.fn !== PROTECTION_FUNCTION || !raisesOnly(trigger.source)) {
    problems.push(`runs ${trigger.fn}(), which no longer refuses the change`);
  }
  return problems;
}

function describeEvents(type: number): string {
  return [type & UPDATE ? 'UPDATE' : '', type & DELETE ? 'DELETE' : '', type & TRUNCATE ? 'TRUNCATE' : '']
    .filter(Boolean)
    .join(' and ');
}

// Structural, not textual: a body that raises and never returns a row refuses every change.
function raisesOnly(source: string): boolean {
  const text = source.toUpperCase();
  return /\bRAISE\s+EXCEPTION\b/.test(text) && !/\bRETURN\b/.test(text);
}

async function checkPrivileges(
  tx: postgres.TransactionSql,
  role: string,
  findings: FindingList,
): Promise<void> {
  const [found] = await tx<
    { superuser: boolean }[]
  >`select rolsuper as superuser from pg_roles where rolname = ${role}`;
  if (!found) {
    findings.add({
      code: 'runtime_role_missing',
      severity: 'warning',
      message: `runtime role ${role} does not exist, so its privileges could not be checked`,
    });
    return;
  }
  const rows = await tx<{ table: string; privilege: string; granted: boolean }[]>`
    select t.name as table, p.name as privilege, has_table_privilege(${role}::name, t.name, p.name) as granted
    from unnest(${['audit_ledger', 'audit_checkpoint', 'audit_intake']}::text[]) as t(name)
    cross join unnest(${['UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER']}::text[]) as p(name)`;
  const columns = await tx<{ column: string; granted: boolean }[]>`
    select a.attname as column,
           has_column_privilege(${role}::name, 'audit_intake'::text, a.attname::text, 'UPDATE'::text)
             as granted
    from pg_attribute a
    where a.attrelid = 'audit_intake'::regclass and a.attnum > 0 and not a.attisdropped
      and a.attname <> 'seq'`;
  const widened = [
    ...rows
      // UPDATE on the intake is judged per column below: the sequencer legitimately stamps seq.
      .filter((row) => row.granted && !(row.table === 'audit_intake' && row.privilege === 'UPDATE'))
      .map((row) => `${row.privilege} on ${row.table}`),
    ...columns
      .filter((column) => column.granted)
      .map((column) => `UPDATE (${column.column}) on audit_intake`),
  ];
  if (widened.length === 0) return;
  findings.add({
    code: 'privileges_widened',
    message:
      `runtime role ${role}${found.superuser ? ' is a superuser and' : ''} may ${widened.join(', ')}: ` +
      'the services could rewrite the audit trail (run `grantflow migrate` to restore the grants)',
  });
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

async function loadCheckpoints(
  tx: postgres.TransactionSql,
  verifiers: readonly NoteVerifier[],
  findings: FindingList,
): Promise<DbCheckpoint[]> {
  const rows = await tx<
    {
      id: string;
      tree_size: string;
      root_hash: Buffer;
      chain_head: Buffer;
      frontier: unknown;
      note: string;
      key_id: string;
    }[]
  >`select id, tree_size, root_hash, chain_head, frontier, note, key_id from audit_checkpoint order by id`;
  return rows.map((row) => {
    const id = Number(row.id);
    const opened = openCheckpoint(row.note, verifiers, (code, message) =>
      findings.add({ code, checkpointId: id, message: `checkpoint ${id}: ${message}` }),
    );
    if (!opened) return { id, note: row.note, trusted: false };
    const { size, root, signedBy, time } = opened;

    const problems: string[] = [];
    if (Number(row.tree_size) !== size)
      problems.push(`tree_size column says ${row.tree_size}, the signed note ${size}`);
    if (!row.root_hash.equals(root)) problems.push('root_hash column differs from the signed root');
    if (!signedBy.some((ref) => ref.endsWith(`+${row.key_id}`))) {
      problems.push(`key_id column says ${row.key_id}, the note is signed by ${signedBy.join(', ')}`);
    }
    // The frontier is what the next seal extends; one that does not reproduce the signed root
    // would make every later checkpoint vouch for a different tree (sealCheckpoint refuses it).
    let frontier: MerkleFrontier | undefined;
    try {
      frontier = MerkleFrontier.fromJSON(row.frontier as MerkleFrontierState);
      if (frontier.size !== size || !frontier.root().equals(root)) frontier = undefined;
    } catch {
      frontier = undefined;
    }
    if (!frontier) problems.push('stored frontier does not reproduce the signed root');
    if (problems.length > 0) {
      findings.add({
        code: 'checkpoint_mismatch',
        checkpointId: id,
        message: `checkpoint ${id}: ${problems.join('; ')}`,
      });
    }
    const claim: Claim = {
      label: `checkpoint ${id}`,
      size,
      root,
      checkpointId: id,
      ...(row.chain_head.length === HASH_SIZE ? { chainHead: row.chain_head } : {}),
      ...(frontier ? { frontier } : {}),
    };
    const summary: CheckpointSummary = { id, treeSize: size, rootHash: root.toString('hex'), signedBy };
    if (time) summary.time = time;
    return { id, note: row.note, trusted: true, claim, summary };
  });
}

function openCheckpoint(
  note: string,
  verifiers: readonly NoteVerifier[],
  report: (code: FindingCode, message: string) => void,
): { size: number; root: Buffer; signedBy: string[]; time?: string } | undefined {
  try {
    const opened = openNote(note, verifiers);
    if (opened.invalidSignatures.length > 0) {
      // Another known key verified it, but a signature by one of our keys that does not verify
      // means the note text or its signature lines were altered after signing.
      const refs = opened.invalidSignatures.map((ref) => `${ref.name}+${ref.keyId}`).join(', ');
      report('checkpoint_signature_invalid', `signature by ${refs} does not verify`);
    }
    const checkpoint = parseCheckpoint(opened.body);
    const time = checkpoint.extensions.find((line) => line.startsWith('time '))?.slice(5);
    return {
      size: checkpoint.size,
      root: checkpoint.rootHash,
      signedBy: opened.verifiedBy.map((ref) => `${ref.name}+${ref.keyId}`),
      ...(time ? { time } : {}),
    };
  } catch (error) {
    if (error instanceof UnverifiedNoteError) {
      if (error.reason === 'unknown_key') {
        report(
          'checkpoint_unknown_key',
          `${error.message}; a checkpoint we did not sign (a forgery, or a key not given)`,
        );
      } else {
        report('checkpoint_signature_invalid', `${error.message}; the note was altered after signing`);
      }
      return undefined;
    }
    if (error instanceof MalformedNoteError) {
      report('checkpoint_malformed', `not a signed checkpoint: ${error.message}`);
      return undefined;
    }
    throw error;
  }
}

function readExportDir(dir: string): ExportedNote[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.note'))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const id = /^checkpoint-0*(\d+)\.note$/.exec(name)?.[1];
      return { file, text: readFileSync(file, 'utf8'), ...(id !== undefined ? { id: Number(id) } : {}) };
    });
}

// An exported note identical to a database note adds nothing; any other verified one is a
// second, independent claim about the ledger, compared like a database checkpoint.
function exportedClaims(
  exported: ExportedNote[],
  checkpoints: DbCheckpoint[],
  verifiers: readonly NoteVerifier[],
  findings: FindingList,
): Claim[] {
  const byNote = new Map(checkpoints.map((checkpoint) => [checkpoint.note, checkpoint]));
  const claims: Claim[] = [];
  for (const note of exported) {
    if (byNote.get(note.text)?.trusted) continue;
    const name = path.basename(note.file);
    const where = { file: note.file, ...(note.id !== undefined ? { checkpointId: note.id } : {}) };
    const opened = openCheckpoint(note.text, verifiers, (code, message) =>
      findings.add({ code, ...where, message: `exported ${name}: ${message}` }),
    );
    if (!opened) continue;
    const claim: Claim = { label: `exported ${name}`, size: opened.size, root: opened.root, ...where };
    claims.push(claim);
    const row =
      note.id === undefined ? undefined : checkpoints.find((checkpoint) => checkpoint.id === note.id);
    // A database row that no longer verifies was reported already; a checkpoint of the same
    // size with another root is reported as a split view once the ledger says which is right.
    if (row && !row.trusted) continue;
    if (
      checkpoints.some(
        (checkpoint) => checkpoint.claim?.size === opened.size && !checkpoint.claim.root.equals(opened.root),
      )
    ) {
      continue;
    }
    const root = `${opened.root.toString('hex').slice(0, 16)}…`;
    const database = row
      ? `database checkpoint ${row.id} differs from it`
      : 'the database has no such checkpoint';
    findings.add({
      code: 'split_view',
      ...where,
      message:
        `exported ${name} (size ${opened.size}, root ${root}) is signed, but ${database}: ` +
        'the database and its exported copy tell different stories',
    });
  }
  return claims;
}

// ---------------------------------------------------------------------------------------------
// The walk: one pass over the ledger in seq order

async function walkLedger(tx: postgres.TransactionSql, claims: Claim[], settings: Settings): Promise<Walk> {
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
  const frontier = new MerkleFrontier();
  let next = 1;
  let lastSeq = 0;
  let prevChain: Buffer = GENESIS_CHAIN;
  // What the previous row's chain should have been: lets the row after a corrupted chain value
  // verify, so one altered chain_hash is reported once, not twice.
  let prevChainExpected: Buffer | undefined = GENESIS_CHAIN;
  let prevRecordedAt: number | undefined;
  let lastOffset: number | undefined;
  let shiftSearches = 0;
  let claimIndex = 0;

  const evaluateClaims = (upTo: number) => {
    while (claimIndex < claims.length && claims[claimIndex]!.size <= upTo) {
      const claim = claims[claimIndex++]!;
      claim.matched = frontier.size === claim.size && frontier.root().equals(claim.root);
      if (!claim.matched) claim.ours = frontier.toJSON();
      if (claim.chainHead && lastSeq === claim.size)
        claim.chainHeadMatches = prevChain.equals(claim.chainHead);
    }
  };
  evaluateClaims(0);

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

function leafOf(seq: number, recordedAt: string, event: unknown): Buffer | undefined {
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

// ---------------------------------------------------------------------------------------------
// Interpreting what the walk saw

// Turns moved entries into findings: a run of entries shifted by the same offset is a deletion
// (shifted down) or an insertion (shifted up) with the rest renumbered; entries that trade
// places are a reordering.
function analyseMoves(walk: Walk, vouched: number, findings: FindingList): void {
  // Leaves of swapped payloads stay in place: the event at i then hashes to entry j's stored leaf.
  const suspects = [...walk.suspects].filter(([seq]) => !walk.moves.has(seq));
  for (const [seq, suspect] of suspects) {
    for (const [other, candidate] of suspects) {
      if (other === seq) continue;
      if (suspect.leaf && leafOf(other, suspect.recordedAt, suspect.event)?.equals(suspect.leaf)) {
        walk.moves.add(seq, other, 'row');
        walk.leafFailures.delete(seq);
        break;
      }
      const asOther = [suspect.recordedAt, candidate.recordedAt].map((at) =>
        leafOf(other, at, suspect.event),
      );
      if (candidate.leaf && asOther.some((hash) => hash?.equals(candidate.leaf!))) {
        walk.moves.add(seq, other, 'event');
        walk.leafFailures.delete(seq);
        break;
      }
    }
  }
  // Past the vouched prefix, an entry whose intake row was stamped with another seq was moved
  // even if its hashes were recomputed to fit its new place.
  for (const { seq, intakeSeq } of walk.intakeSeqDiffers) {
    if (seq > vouched && !walk.moves.has(seq)) walk.moves.add(seq, intakeSeq, 'intake');
  }

  // Blocks: runs with one offset, joined across entries that were edited as well as moved (they
  // hash right under no seq, so they break a run, and are reported as payload_edited too).
  const edited = (from: number, to: number) => {
    if (to - from >= MAX_SUSPECTS) return false;
    for (let seq = from; seq <= to; seq++) if (!walk.leafFailures.has(seq)) return false;
    return true;
  };
  const blocks: { start: number; end: number; offset: number; hows: Set<MoveEvidence> }[] = [];
  for (const run of walk.moves.runs) {
    const last = blocks.at(-1);
    const physical = run.how !== 'event' && last !== undefined && !last.hows.has('event');
    if (last && physical && run.offset === last.offset && edited(last.end + 1, run.start - 1)) {
      last.end = run.end;
      last.hows.add(run.how);
    } else {
      blocks.push({ start: run.start, end: run.end, offset: run.offset, hows: new Set([run.how]) });
    }
  }

  const gaps = new Intervals();
  for (const gap of walk.gaps) gaps.add(gap.from, gap.to);
  for (const { start, end, offset, hows } of blocks) {
    const count = end - start + 1;
    const written = `${start + offset}${count > 1 ? `..${end + offset}` : ''}`;
    const found = `${start}${count > 1 ? `..${end}` : ''}`;
    const evidence = hows.has('event')
      ? 'the event hashes to the leaf stored there: payloads were swapped under the hashes'
      : hows.has('intake')
        ? 'leaf hashes or intake rows carry the original seqs, even where leaf and chain were recomputed'
        : 'leaf hashes carry the original seqs';
    // Entries renumbered down leave written seqs that no entry carries any more (deleted);
    // renumbered up, they leave positions held by entries nobody moved (inserted). Anything else
    // is entries trading places.
    const before = { from: start + offset, to: start - 1 };
    if (!hows.has('event') && offset > 0 && !walk.moves.wrote(start, start + offset - 1)) {
      findings.add({
        code: 'row_deleted',
        seq: start,
        ...(offset > 1 ? { lastSeq: start + offset - 1 } : {}),
        message:
          `${offset === 1 ? `entry ${start} was` : `entries ${start}..${start + offset - 1} were`} deleted ` +
          `and the ${count} entries after renumbered: entries written as seq ${written} are at seq ` +
          `${found} (${evidence})`,
      });
      findings.explain(start, end + offset);
    } else if (
      !hows.has('event') &&
      offset < 0 &&
      before.from >= 1 &&
      before.to <= walk.maxSeq &&
      !walk.moves.touches(before.from, before.to) &&
      !gaps.overlaps(before.from, before.to)
    ) {
      findings.add({
        code: 'row_inserted',
        seq: before.from,
        ...(offset < -1 ? { lastSeq: before.to } : {}),
        message:
          `${offset === -1 ? `entry ${before.from} was` : `entries ${before.from}..${before.to} were`} ` +
          `inserted and the ${count} entries after renumbered: entries written as seq ${written} are at ` +
          `seq ${found} (${evidence})`,
      });
      findings.explain(before.from, end);
    } else {
      findings.add({
        code: 'reordered',
        seq: start,
        ...(count > 1 ? { lastSeq: end } : {}),
        writtenAsSeq: start + offset,
        message:
          `${count > 1 ? 'entries' : 'entry'} written as seq ${written} found at seq ${found} ` +
          `(${evidence})`,
      });
      findings.explain(start, end + 1);
    }
  }
}

function reportStructure(walk: Walk, claims: Claim[], findings: FindingList): void {
  for (const gap of walk.gaps) {
    const many = gap.to > gap.from;
    findings.add({
      code: 'row_deleted',
      seq: gap.from,
      ...(many ? { lastSeq: gap.to } : {}),
      message:
        `${many ? `entries ${gap.from}..${gap.to} are` : `entry ${gap.from} is`} missing: ` +
        `seq jumps from ${gap.from - 1} to ${gap.to + 1}`,
    });
    findings.explain(gap.from, gap.to + 1);
  }
  for (const seq of walk.duplicateSeqs) {
    findings.add({
      code: 'row_inserted',
      seq,
      message: `two entries carry seq ${seq}: one was inserted beside the original`,
    });
    findings.explain(seq, seq + 1);
  }
  // Entries renumbered down still count as present up to the seq they were written as.
  const present = Math.max(walk.maxSeq, walk.moves.maxWritten());
  const latest = claims.filter((claim) => claim.size > present).at(-1);
  if (latest) {
    findings.add({
      code: 'tail_truncated',
      seq: present + 1,
      lastSeq: latest.size,
      ...(latest.checkpointId !== undefined ? { checkpointId: latest.checkpointId } : {}),
      ...(latest.file !== undefined ? { file: latest.file } : {}),
      message:
        `the ledger ends at seq ${present} but ${latest.label} signed ${latest.size} entries: ` +
        `entries ${present + 1}..${latest.size} were removed`,
    });
    findings.explain(present + 1, latest.size);
  }
}

// A ledger entry without an intake row bypassed the sequencer, unless its intake row is still
// there under the same seq and only the unhashed idempotency_key column was edited.
async function reportMissingIntake(
  tx: postgres.TransactionSql,
  walk: Walk,
  findings: FindingList,
): Promise<void> {
  const missing = walk.noIntake.filter(({ seq }) => !walk.moves.has(seq));
  if (missing.length === 0) return;
  const stamped = await tx<{ seq: string; idempotency_key: string; event_id: string }[]>`
    select seq, idempotency_key, event_id from audit_intake
    where seq = any(${missing.map((entry) => entry.seq)}::bigint[])`;
  for (const entry of missing) {
    const intake = stamped.find((row) => Number(row.seq) === entry.seq && row.event_id === entry.eventId);
    if (intake && intake.idempotency_key !== entry.key) {
      const issues = walk.columnIssues.get(entry.seq) ?? [];
      issues.push(`idempotency_key column ${entry.key} is not its intake row's ${intake.idempotency_key}`);
      walk.columnIssues.set(entry.seq, issues);
      continue;
    }
    findings.add({
      code: 'row_inserted',
      seq: entry.seq,
      message: entry.unstamped
        ? `entry ${entry.seq}'s intake row (key ${entry.key}) was never stamped: ` +
          'it was written into the ledger directly'
        : `entry ${entry.seq} (key ${entry.key}) has no intake row: it was written into the ledger directly`,
    });
  }
}

function reportClaims(claims: Claim[], walk: Walk, findings: FindingList): void {
  const split = new Set<Claim>();
  // Two signed claims for one size with different roots cannot both be right; the ledger says
  // which one it agrees with.
  const bySize = new Map<number, Claim[]>();
  for (const claim of claims) bySize.set(claim.size, [...(bySize.get(claim.size) ?? []), claim]);
  for (const group of bySize.values()) {
    const roots = new Map<string, Claim>();
    for (const claim of group)
      if (!roots.has(claim.root.toString('hex'))) roots.set(claim.root.toString('hex'), claim);
    if (roots.size < 2) continue;
    const distinct = [...roots.values()].sort(
      (a, b) => Number(b.matched ?? false) - Number(a.matched ?? false),
    );
    const reference = distinct[0]!;
    for (const claim of distinct.slice(1)) {
      split.add(claim);
      findings.add({
        code: 'split_view',
        ...where(claim),
        ...(reference.checkpointId !== undefined && claim.file === undefined
          ? { otherCheckpointId: reference.checkpointId }
          : {}),
        message:
          `${claim.label} and ${reference.label} both sign size ${claim.size} with different roots` +
          `${reference.matched ? `; the ledger matches ${reference.label}` : ''}`,
      });
    }
  }

  const matchedSizes = claims.filter((claim) => claim.matched).map((claim) => claim.size);
  const mismatched = claims.filter((claim) => claim.matched === false && !split.has(claim));
  const runs = new Map<number, Claim[]>();
  for (const claim of mismatched) {
    const larger = claims.find((other) => other.matched && other.size > claim.size);
    if (larger) {
      findings.add({
        code: 'split_view',
        ...where(claim),
        ...(larger.checkpointId !== undefined && claim.file === undefined
          ? { otherCheckpointId: larger.checkpointId }
          : {}),
        message:
          `${claim.label} signs a root for size ${claim.size} that is not the root of the ledger's first ` +
          `${claim.size} entries, while ${larger.label} (size ${larger.size}) matches the ledger: ` +
          'they cannot both be right',
      });
      continue;
    }
    const lastGood = matchedSizes.reduce(
      (best, size) => (size < claim.size ? Math.max(best, size) : best),
      0,
    );
    runs.set(lastGood, [...(runs.get(lastGood) ?? []), claim]);
  }
  for (const [lastGood, run] of runs) {
    const first = run[0]!;
    if (findings.overlapsExplained(lastGood + 1, first.size)) continue;
    const [from, to] = narrow(first, lastGood);
    const also = run.slice(1).map((claim) => claim.label);
    const chain = first.chainHead && first.chainHeadMatches === false ? ' Its chain head differs too.' : '';
    const good =
      lastGood > 0 ? `the first ${lastGood} still match a checkpoint` : 'no smaller checkpoint matches';
    findings.add({
      code: 'payload_rewritten',
      seq: from,
      lastSeq: to,
      ...where(first),
      message:
        `${first.label} signed a root for size ${first.size} that the ledger no longer reproduces: ` +
        `entries in seq ${from}..${to} were rewritten and their hashes recomputed to hide it (${good}).` +
        `${chain}${also.length > 0 ? ` Also no longer matching: ${also.join(', ')}.` : ''}`,
    });
  }
  // The chain head is not signed, but it was recorded when the root was: disagreeing with the
  // entry at that size means one of the two was edited.
  for (const claim of claims) {
    if (claim.matched && claim.chainHeadMatches === false && !walk.chainBreaks.includes(claim.size)) {
      findings.add({
        code: 'checkpoint_mismatch',
        ...where(claim),
        message: `${claim.label}: chain_head column differs from entry ${claim.size}'s chain hash`,
      });
    }
  }
}

function where(claim: Claim): { checkpointId?: number; file?: string } {
  return {
    ...(claim.checkpointId !== undefined ? { checkpointId: claim.checkpointId } : {}),
    ...(claim.file !== undefined ? { file: claim.file } : {}),
  };
}

// A database checkpoint's frontier holds the roots of the perfect subtrees its tree is made of;
// when it reproduces the signed root it is authentic, and the first subtree whose root differs
// from ours bounds where the rewritten entries are.
function narrow(claim: Claim, lastGood: number): [number, number] {
  let from = lastGood + 1;
  let to = claim.size;
  const theirs = claim.frontier?.toJSON();
  if (theirs && claim.ours && claim.ours.size === theirs.size) {
    let start = 0;
    let remaining = theirs.size;
    for (let i = 0; i < theirs.nodes.length; i++) {
      let width = 1;
      while (width * 2 <= remaining) width *= 2;
      if (theirs.nodes[i] !== claim.ours.nodes[i]) {
        from = Math.max(from, start + 1);
        to = Math.min(to, start + width);
        break;
      }
      start += width;
      remaining -= width;
    }
  }
  return from <= to ? [from, to] : [lastGood + 1, claim.size];
}

function reportRows(walk: Walk, vouched: number, findings: FindingList): void {
  const seqs = new Set([...walk.leafFailures.keys(), ...walk.columnIssues.keys()]);
  for (const seq of [...seqs].sort((a, b) => a - b)) {
    const move = walk.moves.get(seq);
    // Columns that disagree with a moved event are the move's doing, reported as such.
    if (move && !walk.leafFailures.has(seq)) continue;
    const reasons = [walk.leafFailures.get(seq), ...(walk.columnIssues.get(seq) ?? [])].filter(Boolean);
    const moved = move ? ` (it was written as seq ${seq + move.offset})` : '';
    findings.add({
      code: 'payload_edited',
      seq,
      message: `entry ${seq} was edited${moved}: ${reasons.join('; ')}`,
    });
  }
  for (const seq of walk.chainBreaks) {
    if (findings.isExplained(seq)) continue;
    findings.add({
      code: 'chain_broken',
      seq,
      message:
        `entry ${seq}'s chain hash is not SHA-256(chain of entry ${seq - 1} ‖ its leaf): ` +
        'the chain was cut here',
    });
  }
  for (const entry of walk.recordedBackwards) {
    if (findings.isExplained(entry.seq)) continue;
    findings.add({
      code: 'backdated',
      seq: entry.seq,
      message:
        `entry ${entry.seq} was recorded at ${entry.recordedAt}, ` +
        `before the entry preceding it (${entry.previous})`,
    });
  }
  for (const entry of walk.occurredFuture) {
    findings.add({
      code: 'backdated',
      seq: entry.seq,
      message:
        `entry ${entry.seq} says it occurred at ${entry.occurredAt}, ` +
        `after it was recorded (${entry.recordedAt})`,
    });
  }
  for (const seq of walk.intakeEventDiffers) {
    if (walk.moves.has(seq) || walk.leafFailures.has(seq) || findings.isExplained(seq)) continue;
    if (seq <= vouched) {
      // A checkpoint vouches for the ledger entry, so the intake row is the one that changed.
      findings.add({
        code: 'intake_orphaned',
        seq,
        message:
          `the intake row stamped ${seq} no longer holds the event of entry ${seq}, ` +
          'which a checkpoint vouches for: ' +
          'the intake row was altered, or the ledger was rewritten and resealed with the signing key',
      });
    } else {
      findings.add({
        code: 'payload_rewritten',
        seq,
        message:
          `entry ${seq}'s event differs from what its writer submitted (its intake row), ` +
          'yet its hashes check out: rewritten with its hashes recomputed',
      });
    }
  }
}

async function reportDuplicates(
  tx: postgres.TransactionSql,
  since: number,
  findings: FindingList,
): Promise<void> {
  const byEventId = await tx<{ value: string; seqs: string[] }[]>`
    select event ->> 'event_id' as value, array_agg(seq order by seq) as seqs from audit_ledger
    group by event ->> 'event_id' having count(*) > 1 and max(seq) >= ${since}
    order by min(seq) limit ${MAX_ISSUES}`;
  // The unique index makes this empty, unless someone dropped the index first.
  const byKey = await tx<{ value: string; seqs: string[] }[]>`
    select idempotency_key as value, array_agg(seq order by seq) as seqs from audit_ledger
    group by idempotency_key having count(*) > 1 and max(seq) >= ${since}
    order by min(seq) limit ${MAX_ISSUES}`;
  for (const [field, rows] of [
    ['event_id', byEventId],
    ['idempotency key', byKey],
  ] as const) {
    for (const row of rows) {
      const seqs = row.seqs.map(Number);
      for (const seq of seqs.slice(1).filter((seq) => seq >= since)) {
        findings.add({
          code: 'duplicate_event',
          seq,
          message:
            `entry ${seq} repeats ${field} ${row.value} of entry ${seqs[0]} ` +
            `(all at seq ${seqs.join(', ')})`,
        });
      }
    }
  }
}

async function reportIntake(
  tx: postgres.TransactionSql,
  settings: Settings,
  findings: FindingList,
): Promise<void> {
  const [stalled] = await tx<
    { count: string; oldest_id: string | null; oldest_key: string | null; oldest_at: string | null }[]
  >`
    select count(*) as count, min(id) as oldest_id,
           (array_agg(idempotency_key order by received_at, id))[1] as oldest_key,
           to_char(min(received_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as oldest_at
    from audit_intake
    where seq is null and received_at < now() - make_interval(secs => ${settings.intakeSlaSeconds}::float8)`;
  const count = Number(stalled?.count ?? 0);
  if (count > 0) {
    findings.add({
      code: 'intake_stalled',
      message:
        `${count} intake row${count === 1 ? ' has' : 's have'} waited more than ` +
        `${settings.intakeSlaSeconds} s to be ` +
        `sequenced (oldest: intake id ${stalled?.oldest_id}, key ${stalled?.oldest_key}, received ` +
        `${stalled?.oldest_at}): events are being held back from the ledger`,
    });
  }

  const orphans = await tx<{ id: string; seq: string; key: string; ledger_key: string | null }[]>`
    select i.id, i.seq, i.idempotency_key as key,
           (select l.idempotency_key from audit_ledger l where l.seq = i.seq limit 1) as ledger_key
    from audit_intake i
    where i.seq is not null and i.seq >= ${settings.since}
      and not exists (
        select 1 from audit_ledger l where l.seq = i.seq and l.idempotency_key = i.idempotency_key)
    order by i.seq limit ${MAX_ISSUES}`;
  for (const row of orphans) {
    const seq = Number(row.seq);
    if (findings.isExplained(seq) || findings.has('payload_edited', seq)) continue;
    findings.add({
      code: 'intake_orphaned',
      seq,
      message:
        row.ledger_key === null
          ? `intake row ${row.id} (key ${row.key}) is stamped seq ${seq}, but the ledger has no entry ${seq}`
          : `intake row ${row.id} (key ${row.key}) is stamped seq ${seq}, ` +
            `but entry ${seq} has key ${row.ledger_key}`,
    });
  }
}

// ---------------------------------------------------------------------------------------------

function sortFindings(findings: Finding[]): Finding[] {
  const rank = (code: FindingCode) => findingCodes.indexOf(code);
  return [...findings].sort(
    (a, b) =>
      (a.seq ?? 0) - (b.seq ?? 0) ||
      rank(a.code) - rank(b.code) ||
      (a.checkpointId ?? 0) - (b.checkpointId ?? 0),
  );
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
