// The facts of a control's evidence as OSCAL observations (a population and a sample are examined,
// an automated test is a test), and each exception a test found as a risk: the schema's risk holds
// a status, remediations and a log, which is what an annotated exception needs.
import type {
  ControlResult,
  ExceptionAnnotation,
  PopulationResult,
  SampleResult,
  TestResult,
} from './model.js';
import type { PackUuids } from './oscal-ids.js';
import { count, fileLink, href, nonEmpty, type PackResources, prop, props, subjects } from './oscal-json.js';

/** What a population holds: its rows, their CSV and how they were extracted. */
export function populationObservation(
  uuid: PackUuids,
  controlId: string,
  population: PopulationResult,
  resources: PackResources,
  collected: string,
) {
  const description = population.noDataSource
    ? `Population ${population.id} has no data source in this installation: ${population.noDataSource}`
    : `Population ${population.id}: ${count(population.rowCount, 'row')} in the period.`;
  return {
    uuid: uuid('observation', controlId, 'population', population.id),
    title: `Population ${population.id}`,
    description,
    props: props({
      population: population.id,
      'row-count': String(population.rowCount),
      'no-data-source': population.noDataSource,
    }),
    methods: ['EXAMINE'],
    ...nonEmpty('subjects', subjects(resources, [population.csv, population.json])),
    'relevant-evidence': [
      {
        href: href(population.csv),
        description: `The population's rows (CSV): ${count(population.rowCount, 'row')}, SHA-256 ${population.sha256}.`,
        props: props({ 'row-count': String(population.rowCount), sha256: population.sha256 }),
      },
      {
        href: href(population.json),
        description:
          "How the population was extracted: its query, parameters, snapshot, row count and the CSV's SHA-256.",
      },
    ],
    collected,
  };
}

/** What an automated test found over its whole population. */
export function testObservation(
  uuid: PackUuids,
  controlId: string,
  test: TestResult,
  resources: PackResources,
  collected: string,
) {
  const annotated = test.exceptions.filter((e) => e.annotation).length;
  const description = test.noDataSource
    ? `${test.title}: not run, no data source in this installation: ${test.noDataSource}`
    : `${test.title}: run over all ${count(test.populationRows, 'row')}; ` +
      `${count(test.exceptions.length, 'exception')}, ${annotated} annotated.`;
  return {
    uuid: uuid('observation', controlId, 'test', test.id),
    title: test.title,
    description,
    props: props({
      test: test.id,
      'population-rows': String(test.populationRows),
      exceptions: String(test.exceptions.length),
      'annotated-exceptions': String(annotated),
      'no-data-source': test.noDataSource,
    }),
    methods: ['TEST'],
    ...nonEmpty('subjects', subjects(resources, [test.file])),
    'relevant-evidence': [
      { href: href(test.file), description: "The test's query and every exception it found." },
    ],
    collected,
  };
}

/** The sample drawn for the auditor, and the file with its rule, seed and picks. */
export function sampleObservation(
  uuid: PackUuids,
  result: ControlResult,
  sample: SampleResult,
  resources: PackResources,
  collected: string,
) {
  const { frequency } = result.control.sample;
  return {
    uuid: uuid('observation', result.control.id, 'sample'),
    title: `Sample of ${sample.population}`,
    description:
      `${count(sample.picked.length, 'item')} of ${sample.population} drawn for the auditor to examine ` +
      `(size ${sample.size} for a control that operates ${frequency.replaceAll('_', ' ')}), by the ` +
      "documented rule, seeded by a sealed checkpoint's root hash.",
    props: props({ population: sample.population, 'sample-size': String(sample.size), frequency }),
    methods: ['EXAMINE'],
    ...nonEmpty('subjects', subjects(resources, [sample.file])),
    'relevant-evidence': [
      {
        href: href(sample.file),
        description: 'The sampling rule, its seed, the picks in draw order and their ledger chains.',
      },
    ],
    collected,
    ...(sample.picked.length > 0 ? { remarks: `Picked, in draw order: ${sample.picked.join(', ')}.` } : {}),
  };
}

/** Each exception of a test as a risk to the control's objective, open until an admin annotates it. */
export function exceptionRisks(uuid: PackUuids, result: ControlResult, test: TestResult) {
  const seen = new Map<string, number>();
  return test.exceptions.map((exception) => {
    // A row can hold two exceptions of one test; the second is `<key>#2`, so ids stay distinct.
    const n = (seen.get(exception.key) ?? 0) + 1;
    seen.set(exception.key, n);
    const name = n === 1 ? exception.key : `${exception.key}#${n}`;
    const riskUuid = uuid('risk', result.control.id, test.id, name);
    const note = exception.annotation;
    return {
      uuid: riskUuid,
      title: `${test.title}: ${exception.key}`,
      description: exception.summary,
      statement:
        `An exception to ${result.control.id} (${result.control.title}) found by the automated test ` +
        `${test.id} on population row ${exception.key}.`,
      props: [
        ...props({ test: test.id, 'row-key': exception.key }),
        ...exception.evidence.map((seq) => prop('ledger-seq', String(seq))),
      ],
      links: [fileLink(test.file, 'evidence')],
      status: note ? 'closed' : 'open',
      ...(note ? annotationParts(uuid, [result.control.id, test.id, name], note) : {}),
      'related-observations': [
        { 'observation-uuid': uuid('observation', result.control.id, 'test', test.id) },
      ],
    };
  });
}

/** An admin's annotation: the corrective action as a completed remediation, logged when it closed the risk. */
function annotationParts(uuid: PackUuids, names: string[], note: ExceptionAnnotation) {
  const remediationUuid = uuid('remediation', ...names);
  return {
    remediations: [
      {
        uuid: remediationUuid,
        lifecycle: 'completed',
        title: 'Corrective action',
        description: note.correctiveAction,
        props: props({ 'annotated-by': note.by }),
        remarks: `Root cause: ${note.rootCause}`,
      },
    ],
    'risk-log': {
      entries: [
        {
          uuid: uuid('risk-log', ...names),
          title: `Annotated by ${note.by}`,
          description: `Root cause: ${note.rootCause}\n\nCorrective action: ${note.correctiveAction}`,
          start: note.at,
          'status-change': 'closed',
          'related-responses': [{ 'response-uuid': remediationUuid }],
        },
      ],
    },
  };
}
