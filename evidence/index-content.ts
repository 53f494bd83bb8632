// What the pack's human-readable index says, worded once so index.html and index.pdf cannot drift
// apart: the renderers only lay these sentences and figures out.
import type { Framework } from '../domain/evidence.js';
import type { ControlResult, PackModel, PopulationResult, TestException, TestResult } from './model.js';

/** How many of one test's exceptions the index lists; the test's JSON file holds them all. */
export const EXCEPTIONS_LISTED = 200;

const FRAMEWORK_NAMES: Record<Framework, string> = { soc2: 'SOC 2', iso27001: 'ISO/IEC 27001' };

/** The index's title: framework and period. */
export function indexTitle(model: PackModel): string {
  return `${FRAMEWORK_NAMES[model.framework]} evidence pack, ${model.period.label}`;
}

/** The lines under the title: period bounds, as-of and who asked. */
export function headerLines(model: PackModel): string[] {
  const { period, request } = model;
  return [
    `Period: ${period.label}, from ${period.start} (inclusive) to ${period.end} (exclusive)`,
    `As of: ${request.recordedAt} (ledger event ${request.seq}, ${request.eventId})`,
    `Requested by: ${request.requestedBy}`,
  ];
}

/** The command an auditor runs, offline, to check the whole pack. */
export function verifyCommand(model: PackModel): string {
  return `npx grantflow evidence verify pack.zip --key ${model.ledger.verifierKey}`;
}

/** What that command checks, one sentence each. */
export function verifyChecks(model: PackModel): string[] {
  const { start, end, startNote } = model.ledger;
  const consistency = start
    ? `the consistency proof from the period's start checkpoint (size ${start.treeSize}) to its end ` +
      `checkpoint (size ${end.treeSize}): the ledger was only appended to in between`
    : `no consistency proof can be checked: ${startNote ?? 'the period has no start checkpoint'}`;
  return [
    'the manifest signature, and the SHA-256 of every file the manifest lists',
    'every inclusion proof: each ledger event cited as evidence is in the tree a signed checkpoint covers',
    consistency,
    'that every sample re-draws from its seed (a signed checkpoint root) to the same picks',
    'that the OSCAL document is valid against the OSCAL schema',
  ];
}

/** Why the key on the command line must not be the one printed in the pack. */
export const KEY_OUT_OF_BAND =
  'Obtain the verifier key out of band, from the people who run grantflow, and compare it with the ' +
  'one above: do not trust the copy in this pack, since a pack checked against its own key only ' +
  'proves it agrees with itself.';

/** A control's status in words. */
export function statusLabel(status: ControlResult['status']): string {
  return status === 'satisfied' ? 'Satisfied' : 'Not satisfied';
}

/** One population in a phrase: rows, or why there is no data. */
export function populationFigure(population: PopulationResult): string {
  return population.noDataSource
    ? `${population.id}: no data source`
    : `${population.id}: ${plural(population.rowCount, 'row')}`;
}

/** One test in a phrase: its exceptions and how many an admin annotated. */
export function testFigure(test: TestResult): string {
  if (test.noDataSource) return `${test.id}: not run, no data source`;
  const annotated = test.exceptions.filter((exception) => exception.annotation).length;
  const notes = annotated > 0 ? ` (${annotated} annotated)` : '';
  return `${test.id}: ${plural(test.exceptions.length, 'exception')}${notes}`;
}

/** A control's sample in a phrase. */
export function sampleFigure(control: ControlResult): string {
  const { sample } = control;
  if (!sample) return 'no sample';
  const { frequency, size } = control.control.sample;
  return `${sample.size} of ${sample.population} (operates ${frequency.replaceAll('_', ' ')}: ${size} required)`;
}

/** The exceptions the index lists for one test, and how many more only its file holds. */
export function listedExceptions(test: TestResult): { listed: TestException[]; more: number } {
  const listed = test.exceptions.slice(0, EXCEPTIONS_LISTED);
  return { listed, more: test.exceptions.length - listed.length };
}

/** The line that stands in for the exceptions left out. */
export function moreExceptionsLine(more: number, test: TestResult): string {
  return `... and ${plural(more, 'more exception')}, listed in ${test.file}`;
}

/** A reference to a pack file that stays inside the pack whatever the path holds. */
export function packHref(path: string): string {
  return `./${path.split('/').map(encodeURIComponent).join('/')}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
