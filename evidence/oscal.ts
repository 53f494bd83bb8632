// The pack's OSCAL 1.0.6 assessment-results document (evidence/schemas/). It is a pure rendering of
// the pack model: no clock and no randomness, so the same model and files give the same bytes.
//
// Shape: one result for the period. Per control, an EXAMINE observation per population, a TEST
// observation per automated test and an EXAMINE observation for the sample; each test exception is
// a risk (an annotated one is closed, its corrective action a completed remediation); one finding
// per control targets the control's objective and cites its observations and risks. Every pack
// file is a back-matter resource with its SHA-256, which is how the document points into the pack.
import type { ControlResult, PackModel } from './model.js';
import { oscalControlId, type PackUuids, packUuids } from './oscal-ids.js';
import {
  count,
  fileLink,
  nonEmpty,
  type PackFile,
  type PackResources,
  props,
  rlink,
  sortedByPath,
} from './oscal-json.js';
import {
  exceptionRisks,
  populationObservation,
  sampleObservation,
  testObservation,
} from './oscal-observations.js';

export type { PackFile } from './oscal-json.js';

/**
 * Files under this folder hold the controls as the customer wrote them: the assessment plan
 * resource (which `import-ap` points at, as the pack carries no separate OSCAL plan) links them.
 */
export const CONTROLS_FOLDER = 'controls/';

const FRAMEWORK_NAMES: Record<PackModel['framework'], string> = {
  soc2: 'SOC 2',
  iso27001: 'ISO/IEC 27001',
};

/** Builds the assessment-results document of a pack whose files are `files`. */
export function buildAssessmentResults(model: PackModel, files: PackFile[]): object {
  const uuid = packUuids(model);
  const resources = fileResources(uuid, files);
  const collected = model.request.recordedAt;
  const framework = FRAMEWORK_NAMES[model.framework];
  const perControl = model.controls.map((result) => controlParts(uuid, result, resources, collected));
  const plan = planResource(uuid, model, files);
  const ledger = model.ledger;

  return {
    'assessment-results': {
      uuid: uuid('assessment-results', model.request.eventId),
      metadata: {
        title: `${framework} evidence pack for ${model.period.label}: assessment results`,
        published: model.request.recordedAt,
        'last-modified': model.request.recordedAt,
        // The request's ledger position: a later pack for the same period has a higher version.
        version: String(model.request.seq),
        'oscal-version': '1.0.6',
        props: props({
          framework: model.framework,
          period: model.period.label,
          'request-seq': String(model.request.seq),
          'request-event-id': model.request.eventId,
          'requested-by': model.request.requestedBy,
        }),
      },
      'import-ap': {
        href: `#${plan.uuid}`,
        remarks:
          'The pack carries no separate OSCAL assessment plan: the plan is the controls this pack tests, ' +
          'described by the back-matter resource this points at.',
      },
      results: [
        {
          uuid: uuid('result'),
          title: `${framework} ${model.period.label}: automated tests of ${count(model.controls.length, 'control')}`,
          description:
            `Populations extracted from grantflow's audit ledger for ${model.period.label} ` +
            `(${model.period.start} to ${model.period.end}, end exclusive), the automated tests run over ` +
            'them in full, and the samples drawn for the auditor, per control.',
          start: model.period.start,
          end: model.period.end,
          props: props({
            'ledger-origin': ledger.origin,
            'ledger-verifier-key': ledger.verifierKey,
            'ledger-start-tree-size': ledger.start ? String(ledger.start.treeSize) : undefined,
            'ledger-start-root-hash': ledger.start?.rootHash,
            'ledger-end-tree-size': String(ledger.end.treeSize),
            'ledger-end-root-hash': ledger.end.rootHash,
          }),
          ...nonEmpty('links', ledger.consistency ? [fileLink(ledger.consistency, 'consistency-proof')] : []),
          'reviewed-controls': {
            'control-selections': [
              {
                description: `The ${framework} controls defined for this installation.`,
                'include-controls': model.controls.map((c) => ({
                  'control-id': oscalControlId(c.control.id),
                })),
              },
            ],
          },
          ...nonEmpty(
            'observations',
            perControl.flatMap((p) => p.observations),
          ),
          ...nonEmpty(
            'risks',
            perControl.flatMap((p) => p.risks),
          ),
          ...nonEmpty(
            'findings',
            perControl.map((p) => p.finding),
          ),
          ...(ledger.start
            ? {}
            : {
                remarks: `The period's start is not proven by a checkpoint: ${
                  ledger.startNote ?? 'no checkpoint was sealed at or before it.'
                }`,
              }),
        },
      ],
      'back-matter': { resources: [plan, ...resources.values()] },
    },
  };
}

/** The observations, risks and finding of one control. */
function controlParts(uuid: PackUuids, result: ControlResult, resources: PackResources, collected: string) {
  const control = result.control;
  const observations = [
    ...result.populations.map((p) => populationObservation(uuid, control.id, p, resources, collected)),
    ...result.tests.map((t) => testObservation(uuid, control.id, t, resources, collected)),
    ...(result.sample ? [sampleObservation(uuid, result, result.sample, resources, collected)] : []),
  ];
  const risks = result.tests.flatMap((t) => exceptionRisks(uuid, result, t));
  const open = risks.filter((r) => r.status === 'open').length;
  const finding = {
    uuid: uuid('finding', control.id),
    title: `${control.id} ${control.title}`,
    description:
      `${control.objective} ${count(result.tests.length, 'automated test')} over ` +
      `${count(result.populations.length, 'population')}: ${count(risks.length, 'exception')}, ` +
      `${open} not annotated.`,
    props: props({ 'control-id': control.id }),
    target: {
      type: 'objective-id',
      'target-id': oscalControlId(control.id),
      status: { state: result.status, reason: result.status === 'satisfied' ? 'pass' : 'fail' },
    },
    ...nonEmpty(
      'related-observations',
      observations.map((o) => ({ 'observation-uuid': o.uuid })),
    ),
    ...nonEmpty(
      'related-risks',
      risks.map((r) => ({ 'risk-uuid': r.uuid })),
    ),
  };
  return { observations, risks, finding };
}

/** The back-matter resource `import-ap` points at: the controls this pack tests, and their files. */
function planResource(uuid: PackUuids, model: PackModel, files: PackFile[]) {
  const controlFiles = sortedByPath(files.filter((f) => f.path.startsWith(CONTROLS_FOLDER)));
  return {
    uuid: uuid('assessment-plan'),
    title: `Assessment plan: the ${FRAMEWORK_NAMES[model.framework]} controls tested for ${model.period.label}`,
    props: props({ controls: String(model.controls.length) }),
    ...nonEmpty('rlinks', controlFiles.map(rlink)),
    remarks: [
      ...model.controls.map(
        ({ control: c }) =>
          `- ${c.id} (\`${oscalControlId(c.id)}\`) ${c.title}: ${c.objective} Populations: ` +
          `${c.populations.join(', ')}; tests: ${c.tests.join(', ')}; sample of ${c.sample.population}.`,
      ),
      '',
      'Control ids are written the OSCAL way: lower case, any other character a `-`, and a leading `_` ' +
        'when the id does not start with a letter (CC6.1 is cc6.1, A.5.15 is a.5.15).',
    ].join('\n'),
  };
}

/** One back-matter resource per pack file, by path, in path order. */
function fileResources(uuid: PackUuids, files: PackFile[]) {
  const resources = new Map<string, { uuid: string; title: string; rlinks: ReturnType<typeof rlink>[] }>();
  for (const file of sortedByPath(files)) {
    if (resources.has(file.path)) throw new RangeError(`pack file ${file.path} is listed twice`);
    resources.set(file.path, { uuid: uuid('resource', file.path), title: file.path, rlinks: [rlink(file)] });
  }
  return resources;
}
