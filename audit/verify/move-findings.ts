// Interpreting what the walk saw, for moved entries: runs of moves become row_deleted,
// row_inserted or reordered findings.
import type { FindingList } from './findings.js';
import { Intervals } from './intervals.js';
import { MAX_SUSPECTS } from './limits.js';
import type { MoveEvidence } from './move-set.js';
import { leafOf, type Walk } from './walk.js';

// Turns moved entries into findings: a run of entries shifted by the same offset is a deletion
// (shifted down) or an insertion (shifted up) with the rest renumbered; entries that trade
// places are a reordering.
export function analyseMoves(walk: Walk, vouched: number, findings: FindingList): void {
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
