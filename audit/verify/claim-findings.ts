// Interpreting what the walk saw, for the ledger's shape and the signed claims over it: gaps,
// duplicated seqs, a truncated tail, split views, rewrites only the signed roots reveal, and
// chain heads that disagree.
import type { Claim } from './checkpoints.js';
import type { FindingList } from './findings.js';
import type { Walk } from './walk.js';

export function reportStructure(walk: Walk, claims: Claim[], findings: FindingList): void {
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

export function reportClaims(claims: Claim[], walk: Walk, findings: FindingList): void {
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
