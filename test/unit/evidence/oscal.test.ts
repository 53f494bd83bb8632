import { createHash } from 'node:crypto';
import { validate as isUuid, version as uuidVersion, v5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { PackModel } from '../../../evidence/model.js';
import { buildAssessmentResults, CONTROLS_FOLDER, type PackFile } from '../../../evidence/oscal.js';
import { OSCAL_UUID_NAMESPACE, oscalControlId } from '../../../evidence/oscal-ids.js';
import { validateAssessmentResults } from '../../../evidence/oscal-validate.js';

const ANNOTATION = {
  rootCause:
    'The on-call engineer granted prod-db access during incident INC-4411 before the approval landed.',
  correctiveAction: 'Approval recorded after the fact; break-glass now goes through the emergency policy.',
  by: 'dana@acme.test',
  at: '2026-12-03T09:12:44.000Z',
};

function packModel(
  period = { label: '2026-Q4', start: '2026-10-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' },
) {
  const model: PackModel = {
    framework: 'soc2',
    period,
    request: {
      seq: 18_244,
      eventId: '0f6c3f0e-2a43-4bd4-9d3c-6a4d4f7f3d10',
      recordedAt: '2027-01-04T08:30:00.000Z',
      requestedBy: 'auditor-liaison@acme.test',
    },
    ledger: {
      origin: 'grantflow.acme.test/ledger',
      verifierKey: 'grantflow.acme.test+6f1a2b3c+AeZrX0cM1q9l0b2v3N4m5P6q7R8s9T0u1V2w3X4y5Z6a',
      start: {
        treeSize: 12_001,
        rootHash: 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=',
        note: 'grantflow.acme.test/ledger\n12001\nq1w2...\n',
      },
      end: {
        treeSize: 18_243,
        rootHash: 'm1n2b3v4c5x6z7l8k9j0h1g2f3d4s5a6p7o8i9u0y1t=',
        note: 'grantflow.acme.test/ledger\n18243\nm1n2...\n',
      },
      consistency: 'ledger/consistency-12001-18243.json',
    },
    controls: [
      {
        control: {
          id: 'CC6.1',
          framework: 'soc2',
          title: 'Logical access security',
          objective:
            'Access to production data is granted only after an approval by someone other than the requester.',
          populations: ['grants_provisioned', 'requests_decisions'],
          tests: ['grant_without_prior_approval', 'approver_is_requester'],
          sample: { population: 'grants_provisioned', frequency: 'weekly', size: 5 },
        },
        populations: [population('grants_provisioned', 412), population('requests_decisions', 455)],
        tests: [
          {
            id: 'grant_without_prior_approval',
            title: 'Grant without a prior approval',
            file: 'tests/grant_without_prior_approval.json',
            populationRows: 412,
            exceptions: [
              {
                test: 'grant_without_prior_approval',
                key: 'grant-7f3a',
                summary: 'prod-db read granted at 02:14, approved at 02:41.',
                evidence: [14_020, 14_031],
                annotation: ANNOTATION,
              },
              {
                test: 'grant_without_prior_approval',
                key: 'grant-91bc',
                summary: 'billing-admin granted with no approval recorded.',
                evidence: [16_877],
              },
            ],
          },
          {
            id: 'approver_is_requester',
            title: 'Approver is the requester',
            file: 'tests/approver_is_requester.json',
            populationRows: 455,
            exceptions: [],
          },
        ],
        sample: {
          population: 'grants_provisioned',
          size: 5,
          file: 'samples/CC6.1.json',
          picked: ['grant-0a11', 'grant-7f3a', 'grant-b2c4', 'grant-5d0e', 'grant-c913'],
        },
        status: 'not-satisfied',
      },
      {
        control: {
          id: 'CC6.2',
          framework: 'soc2',
          title: 'User registration and removal',
          objective:
            'Leavers lose their access within the SLA and every revocation is verified at the target.',
          populations: ['revocations', 'leavers'],
          tests: ['revocation_not_verified'],
          sample: { population: 'revocations', frequency: 'monthly', size: 2 },
        },
        populations: [
          population('revocations', 97),
          {
            ...population('leavers', 0),
            noDataSource:
              'No HR directory is connected to this installation;\nleavers come from SCIM deactivations only.\n',
          },
        ],
        tests: [
          {
            id: 'revocation_not_verified',
            title: 'Revocation not verified at the target',
            file: 'tests/revocation_not_verified.json',
            populationRows: 97,
            exceptions: [],
          },
        ],
        sample: null,
        status: 'satisfied',
      },
    ],
  };
  return model;
}

function population(
  id: 'grants_provisioned' | 'requests_decisions' | 'revocations' | 'leavers',
  rowCount: number,
) {
  return {
    id,
    csv: `populations/${id}.csv`,
    json: `populations/${id}.json`,
    rowCount,
    sha256: sha256(`populations/${id}.csv`),
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function packFiles(model: PackModel): PackFile[] {
  const paths = [
    ...model.controls.map((c) => `${CONTROLS_FOLDER}${c.control.framework}-${c.control.id}.yaml`),
    'ledger/checkpoint-end.txt',
    'ledger/checkpoint-start.txt',
    ...(model.ledger.consistency ? [model.ledger.consistency] : []),
    ...model.controls.flatMap((c) => [
      ...c.populations.flatMap((p) => [p.csv, p.json]),
      ...c.tests.map((t) => t.file),
      ...(c.sample ? [c.sample.file] : []),
    ]),
  ];
  return [...new Set(paths)].map((path) => ({ path, sha256: sha256(`${model.period.label}:${path}`) }));
}

// biome-ignore lint/suspicious/noExplicitAny: the tests walk the document as plain JSON.
type Doc = any;

function build(model = packModel(), files = packFiles(model)): Doc {
  return buildAssessmentResults(model, files);
}

function uuidsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) uuidsIn(item, found);
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'uuid' && typeof inner === 'string') found.push(inner);
      else uuidsIn(inner, found);
    }
  return found;
}

describe('OSCAL assessment results', () => {
  it('builds a document the OSCAL 1.0.6 schema accepts', () => {
    // Act
    const doc = build();
    const result = validateAssessmentResults(doc);

    // Verify
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    const ar = doc['assessment-results'];
    expect(ar.metadata).toMatchObject({
      title: 'SOC 2 evidence pack for 2026-Q4: assessment results',
      published: '2027-01-04T08:30:00.000Z',
      'last-modified': '2027-01-04T08:30:00.000Z',
      'oscal-version': '1.0.6',
    });
    expect(ar.results).toHaveLength(1);
    expect(ar.results[0]).toMatchObject({
      start: '2026-10-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
    });
  });

  it('selects the controls by their OSCAL ids and finds on each objective', () => {
    // Act
    const result = build()['assessment-results'].results[0];

    // Verify
    expect(result['reviewed-controls']['control-selections'][0]['include-controls']).toEqual([
      { 'control-id': 'cc6.1' },
      { 'control-id': 'cc6.2' },
    ]);
    expect(
      result.findings.map((f: Doc) => [f.target.type, f.target['target-id'], f.target.status.state]),
    ).toEqual([
      ['objective-id', 'cc6.1', 'not-satisfied'],
      ['objective-id', 'cc6.2', 'satisfied'],
    ]);
  });

  it('observes each population, test and sample of a control, with the file, rows and hash', () => {
    // Act
    const result = build()['assessment-results'].results[0];

    // Verify: CC6.1 has 2 populations, 2 tests and a sample; CC6.2 2 populations, 1 test, no sample.
    const [cc61, cc62] = result.findings;
    expect(cc61['related-observations']).toHaveLength(5);
    expect(cc62['related-observations']).toHaveLength(3);
    const byUuid = new Map<string, Doc>(result.observations.map((o: Doc) => [o.uuid, o]));
    const methods = cc61['related-observations'].map(
      (r: Doc) => byUuid.get(r['observation-uuid'])?.methods[0],
    );
    expect(methods).toEqual(['EXAMINE', 'EXAMINE', 'TEST', 'TEST', 'EXAMINE']);

    const grants = result.observations.find((o: Doc) => o.title === 'Population grants_provisioned');
    expect(grants.props).toContainEqual(expect.objectContaining({ name: 'row-count', value: '412' }));
    expect(grants['relevant-evidence'][0]).toMatchObject({
      href: 'populations/grants_provisioned.csv',
      props: expect.arrayContaining([
        expect.objectContaining({ name: 'row-count', value: '412' }),
        expect.objectContaining({ name: 'sha256', value: sha256('populations/grants_provisioned.csv') }),
      ]),
    });
    const test = result.observations.find((o: Doc) => o.title === 'Grant without a prior approval');
    expect(test.props).toContainEqual(expect.objectContaining({ name: 'exceptions', value: '2' }));
    const sample = result.observations.find((o: Doc) => o.title === 'Sample of grants_provisioned');
    expect(sample['relevant-evidence'][0].href).toBe('samples/CC6.1.json');

    const leavers = result.observations.find((o: Doc) => o.title === 'Population leavers');
    expect(leavers.description).toContain('no data source');
    // A prop value is one line in OSCAL: the YAML block's line break and trailing newline go.
    expect(leavers.props).toContainEqual(
      expect.objectContaining({
        name: 'no-data-source',
        value:
          'No HR directory is connected to this installation; leavers come from SCIM deactivations only.',
      }),
    );
  });

  it('makes each exception a risk of its finding; an annotated one is closed with its corrective action', () => {
    // Act
    const result = build()['assessment-results'].results[0];

    // Verify
    expect(result.risks.map((r: Doc) => [r.title, r.status])).toEqual([
      ['Grant without a prior approval: grant-7f3a', 'closed'],
      ['Grant without a prior approval: grant-91bc', 'open'],
    ]);
    expect(result.findings[0]['related-risks'].map((r: Doc) => r['risk-uuid'])).toEqual(
      result.risks.map((r: Doc) => r.uuid),
    );
    expect(result.findings[1]['related-risks']).toBeUndefined();
    const [annotated, open] = result.risks;
    expect(annotated.remediations[0]).toMatchObject({
      lifecycle: 'completed',
      description: ANNOTATION.correctiveAction,
    });
    expect(annotated['risk-log'].entries[0]).toMatchObject({
      start: ANNOTATION.at,
      'status-change': 'closed',
    });
    expect(open.remediations).toBeUndefined();
    expect(open.props.filter((p: Doc) => p.name === 'ledger-seq').map((p: Doc) => p.value)).toEqual([
      '16877',
    ]);
  });

  it('lists every pack file in back-matter with its SHA-256, and points import-ap at the plan', () => {
    // Setup
    const model = packModel();
    const files = packFiles(model);

    // Act
    const ar = buildAssessmentResults(model, files) as Doc;

    // Verify
    const resources: Doc[] = ar['assessment-results']['back-matter'].resources;
    for (const file of files) {
      const resource = resources.find((r) => r.rlinks?.[0].href === file.path && r.title === file.path);
      expect(resource?.rlinks[0].hashes, file.path).toEqual([{ algorithm: 'SHA-256', value: file.sha256 }]);
    }
    const plan = resources.find((r) => `#${r.uuid}` === ar['assessment-results']['import-ap'].href);
    expect(plan.rlinks.map((l: Doc) => l.href)).toEqual([
      'controls/soc2-CC6.1.yaml',
      'controls/soc2-CC6.2.yaml',
    ]);

    // Every reference inside the document resolves.
    const result = ar['assessment-results'].results[0];
    const observationUuids = new Set(result.observations.map((o: Doc) => o.uuid));
    const referenced = [...result.findings, ...result.risks].flatMap((x: Doc) =>
      (x['related-observations'] ?? []).map((r: Doc) => r['observation-uuid']),
    );
    expect(referenced.filter((u: string) => !observationUuids.has(u))).toEqual([]);
    const resourceUuids = new Set(resources.map((r) => r.uuid));
    const subjects = result.observations
      .flatMap((o: Doc) => o.subjects ?? [])
      .map((s: Doc) => s['subject-uuid']);
    expect(subjects.length).toBeGreaterThan(0);
    expect(subjects.filter((u: string) => !resourceUuids.has(u))).toEqual([]);
  });

  it('refuses a file listed twice, which would give two resources one UUID', () => {
    // Setup
    const model = packModel();
    const files = packFiles(model);

    // Act / Verify
    expect(() => buildAssessmentResults(model, [...files, files[0]!])).toThrow(/listed twice/);
  });

  it('gives byte-identical JSON for the same input, whatever the order of the files', () => {
    // Setup
    const model = packModel();
    const files = packFiles(model);

    // Act
    const first = JSON.stringify(buildAssessmentResults(model, files), null, 2);
    const again = JSON.stringify(buildAssessmentResults(packModel(), [...files].reverse()), null, 2);

    // Verify
    expect(again).toBe(first);
  });

  it('derives every UUID as v5, distinct within a document and from another period', () => {
    // Act
    const q4 = uuidsIn(build());
    const q3 = uuidsIn(
      build(
        packModel({ label: '2026-Q3', start: '2026-07-01T00:00:00.000Z', end: '2026-10-01T00:00:00.000Z' }),
      ),
    );

    // Verify
    for (const uuid of q4) expect(isUuid(uuid) && uuidVersion(uuid), uuid).toBe(5);
    expect(new Set(q4).size).toBe(q4.length);
    expect(q3).toHaveLength(q4.length);
    expect(q3.filter((uuid) => q4.includes(uuid))).toEqual([]);
  });

  it('names each UUID so that anyone can derive it again', () => {
    // Act
    const ar = build()['assessment-results'];

    // Verify
    const name = (n: string) => v5(n, OSCAL_UUID_NAMESPACE);
    expect(ar.uuid).toBe(name('assessment-results:soc2:2026-Q4:0f6c3f0e-2a43-4bd4-9d3c-6a4d4f7f3d10'));
    expect(ar.results[0].findings[0].uuid).toBe(name('finding:soc2:2026-Q4:CC6.1'));
    expect(ar.results[0].risks[1].uuid).toBe(
      name('risk:soc2:2026-Q4:CC6.1:grant_without_prior_approval:grant-91bc'),
    );
    expect(ar['back-matter'].resources.map((r: Doc) => r.uuid)).toContain(
      name('resource:soc2:2026-Q4:samples/CC6.1.json'),
    );
  });

  it('says when the period start has no checkpoint, and stays valid', () => {
    // Setup
    const model = packModel();
    model.ledger = {
      ...model.ledger,
      start: null,
      consistency: null,
      startNote:
        'The ledger was first sealed on 2026-10-14; events before then are covered by the end checkpoint only.',
    };

    // Act
    const doc = build(model);

    // Verify
    expect(validateAssessmentResults(doc)).toEqual({ ok: true, problems: [] });
    const result = doc['assessment-results'].results[0];
    expect(result.remarks).toContain('The ledger was first sealed on 2026-10-14');
    expect(result.links).toBeUndefined();
    expect(result.props.map((p: Doc) => p.name)).not.toContain('ledger-start-root-hash');
  });

  it('names the path of what breaks the schema', () => {
    // Setup
    const untitled = build();
    delete untitled['assessment-results'].metadata.title;
    const badUuid = build();
    badUuid['assessment-results'].results[0].findings[1].uuid = 'x';
    const badToken = build();
    badToken['assessment-results'].results[0]['reviewed-controls']['control-selections'][0][
      'include-controls'
    ][0]['control-id'] = 'CC6.1 (a)';

    // Act
    const missing = validateAssessmentResults(untitled);
    const malformed = validateAssessmentResults(badUuid);

    // Verify
    expect(missing.ok).toBe(false);
    expect(missing.problems).toEqual(["/assessment-results/metadata: must have required property 'title'"]);
    expect(malformed.ok).toBe(false);
    expect(malformed.problems).toEqual([
      expect.stringMatching(/^\/assessment-results\/results\/0\/findings\/1\/uuid: must match pattern/),
    ]);
    // The token pattern uses \p{L}: a unicode regexp, or every token would fail.
    expect(validateAssessmentResults(badToken).problems).toEqual([
      expect.stringMatching(
        /^\/assessment-results\/results\/0\/reviewed-controls\/control-selections\/0\/include-controls\/0\/control-id: must match pattern/,
      ),
    ]);
    expect(validateAssessmentResults({}).problems).toEqual([
      "/: must have required property 'assessment-results'",
    ]);
  });
});

describe('OSCAL control ids', () => {
  it('lower-cases framework ids and makes any id a token', () => {
    expect(['CC6.1', 'A.5.15', 'CC6.1 (a)', '9.2', 'A.8.2'].map(oscalControlId)).toEqual([
      'cc6.1',
      'a.5.15',
      'cc6.1-a',
      '_9.2',
      'a.8.2',
    ]);
    expect(() => oscalControlId(' () ')).toThrow(RangeError);
  });
});
