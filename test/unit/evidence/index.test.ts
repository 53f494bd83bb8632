import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXCEPTIONS_LISTED } from '../../../evidence/index-content.js';
import { renderIndexHtml } from '../../../evidence/index-html.js';
import { renderIndexPdf, winAnsi } from '../../../evidence/index-pdf.js';
import type { PackModel, TestException } from '../../../evidence/model.js';

const VERIFIER_KEY = 'grantflow-ledger+5a1c2e3f+AUdQ1m0xK7pP3cWJzq2bVnY0s8Rr4tEeLhG9uFiDkMoA';
const START_ROOT = 'k3q0yQm2mM7jY2Q5b6G9o0nqZfN1x8wT4aLrC2sVd1E=';
const END_ROOT = 'Zp8cE1rT6uH2wQ9sX4vB7nM3kJ0lA5fG8dS1qW6eR2Y=';

const note = (size: number, root: string) =>
  `grantflow.example.com/ledger\n${size}\n${root}\n\n\u2014 grantflow-ledger WhwuPxQ2mDk5cR8sLq0t7Vb3nYf4hJ1eK9wZ6aU2oIg=\n`;

const picks = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(1000 + i * 37).padStart(4, '0')}`);

/** A SOC 2 Q4 pack: CC6.2 with exceptions (one annotated, one hostile), CC6.3 partly without a source. */
function soc2Model(): PackModel {
  return {
    framework: 'soc2',
    period: { label: '2026-Q4', start: '2026-10-01T00:00:00Z', end: '2027-01-01T00:00:00Z' },
    request: {
      seq: 6210,
      eventId: '0193f2a4-7c1e-7b2d-9f00-4c5a6b7d8e9f',
      recordedAt: '2027-01-05T10:30:00.000Z',
      requestedBy: 'Amélie Laurent (amelie@example.com)',
    },
    ledger: {
      origin: 'grantflow.example.com/ledger',
      verifierKey: VERIFIER_KEY,
      start: { treeSize: 3980, rootHash: START_ROOT, note: note(3980, START_ROOT) },
      end: { treeSize: 6211, rootHash: END_ROOT, note: note(6211, END_ROOT) },
      consistency: 'proofs/consistency-3980-6211.json',
    },
    controls: [
      {
        control: {
          id: 'CC6.2',
          framework: 'soc2',
          title: 'Access is granted on approval',
          objective:
            'Access to systems is provisioned only after an authorised approver other than the requester approved it.',
          populations: ['grants_provisioned', 'requests_decisions'],
          tests: ['grant_without_prior_approval', 'approver_is_requester'],
          sample: { population: 'grants_provisioned', frequency: 'many_per_day', size: 25 },
        },
        populations: [
          {
            id: 'grants_provisioned',
            csv: 'populations/grants_provisioned.csv',
            json: 'populations/grants_provisioned.json',
            rowCount: 412,
            sha256: 'a3f1c9e07b5d42e8a1f6c3b9d0e7a4c2b8f5d1e6a9c3b7f0d4e8a2c6b1f5d9e3',
          },
          {
            id: 'requests_decisions',
            csv: 'populations/requests_decisions.csv',
            json: 'populations/requests_decisions.json',
            rowCount: 530,
            sha256: '5e9d2c7a1b4f8e3d6c0a9b2e5f1d7c4a8b3e6f0d2c9a5b1e7f4d8c3a6b0e2f9d',
          },
        ],
        tests: [
          {
            id: 'grant_without_prior_approval',
            title: 'Grants provisioned without a prior approval',
            file: 'tests/grant_without_prior_approval.json',
            populationRows: 412,
            exceptions: [
              {
                test: 'grant_without_prior_approval',
                key: 'grant-0193',
                summary: 'Provisioned 2026-11-03T02:11:09Z; the approval was recorded at 02:40:51Z',
                evidence: [4410, 4412],
                annotation: {
                  rootCause: 'Break-glass grant during incident INC-2291; approval recorded after the fact',
                  correctiveAction: 'Break-glass now needs a second approver before provisioning',
                  by: 'Zoë Müller',
                  at: '2026-12-02T09:14:00Z',
                },
              },
              {
                test: 'grant_without_prior_approval',
                key: 'grant-0207',
                summary: 'Reason given: <script>alert(1)</script> \u{1F680} urgent',
                evidence: [4533],
              },
            ],
          },
          {
            id: 'approver_is_requester',
            title: 'Requests approved by their requester',
            file: 'tests/approver_is_requester.json',
            populationRows: 530,
            exceptions: [
              {
                test: 'approver_is_requester',
                key: 'req-0042',
                summary: 'Requested and approved by 李雷 (li.lei@example.com)',
                evidence: [5120, 5121],
              },
            ],
          },
        ],
        sample: {
          population: 'grants_provisioned',
          size: 25,
          file: 'samples/CC6.2.json',
          picked: picks('grant', 25),
        },
        status: 'not-satisfied',
      },
      {
        control: {
          id: 'CC6.3',
          framework: 'soc2',
          title: 'Access is removed when no longer needed',
          objective:
            'Access is revoked, and the revocation verified at the target, when it expires or its holder leaves.',
          populations: ['revocations', 'leavers'],
          tests: ['revocation_not_verified', 'leaver_removed_after_sla'],
          sample: { population: 'revocations', frequency: 'many_per_day', size: 25 },
        },
        populations: [
          {
            id: 'revocations',
            csv: 'populations/revocations.csv',
            json: 'populations/revocations.json',
            rowCount: 3,
            sha256: 'c7b2e9f4a1d6c3b8e5f0a7d2c9b4e1f6a3d8c5b0e7f2a9d4c1b6e3f8a5d0c7b2',
          },
          {
            id: 'leavers',
            csv: 'populations/leavers.csv',
            json: 'populations/leavers.json',
            rowCount: 0,
            sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
            noDataSource: 'no directory is connected (directory.file is unset), so leavers are not known',
          },
        ],
        tests: [
          {
            id: 'revocation_not_verified',
            title: 'Revocations not verified at the target',
            file: 'tests/revocation_not_verified.json',
            populationRows: 3,
            exceptions: [],
          },
          {
            id: 'leaver_removed_after_sla',
            title: 'Leavers whose access outlived the SLA',
            file: 'tests/leaver_removed_after_sla.json',
            populationRows: 0,
            exceptions: [],
            noDataSource: 'no directory is connected (directory.file is unset), so leavers are not known',
          },
        ],
        sample: {
          population: 'revocations',
          size: 3,
          file: 'samples/CC6.3.json',
          picked: ['grant-0011', 'grant-0310', 'grant-0097'],
        },
        status: 'not-satisfied',
      },
    ],
  };
}

const START_NOTE =
  'No checkpoint was sealed at or before 2026-10-01T00:00:00Z: the ledger began on 2026-10-14.';

/** The same pack for a ledger that began inside the period, so its start cannot be proven. */
function modelWithoutStart(): PackModel {
  const model = soc2Model();
  return { ...model, ledger: { ...model.ledger, start: null, consistency: null, startNote: START_NOTE } };
}

/** A test with more exceptions than the index lists. */
function modelWithManyExceptions(count: number): PackModel {
  const model = soc2Model();
  const exceptions: TestException[] = Array.from({ length: count }, (_, i) => ({
    test: 'approver_is_requester',
    key: `req-${String(i).padStart(4, '0')}`,
    summary: 'Requested and approved by the same person',
    evidence: [7000 + i],
  }));
  model.controls[0]!.tests[1]!.exceptions = exceptions;
  return model;
}

const lastListed = `req-${String(EXCEPTIONS_LISTED - 1).padStart(4, '0')}`;
const firstLeftOut = `req-${String(EXCEPTIONS_LISTED).padStart(4, '0')}`;

/** The text pdfkit drew, from an uncompressed PDF: each TJ array's hex strings, one line each (read as
 * Latin-1, so WinAnsi's 0x80-0x9F extras such as the bullet come out as control characters). */
function pdfText(pdf: Buffer): string {
  const lines = [...pdf.toString('latin1').matchAll(/\[([^\]]*)\] TJ/g)].map(([, array]) =>
    [...array!.matchAll(/<([0-9a-f]*)>/g)]
      .map(([, hex]) => Buffer.from(hex!, 'hex').toString('latin1'))
      .join(''),
  );
  return lines.join('\n');
}

/** The same text with line wraps undone, for phrases that may wrap. */
const unwrapped = (text: string) => text.replace(/\s+/g, ' ');

describe('index.html', () => {
  it('shows every control, exception and the way to verify', () => {
    const html = renderIndexHtml(soc2Model());

    for (const id of ['CC6.2', 'CC6.3']) expect(html).toContain(`id="control-${id}"`);
    for (const key of ['grant-0193', 'grant-0207', 'req-0042']) expect(html).toContain(`<code>${key}</code>`);
    expect(html).toContain(`npx grantflow evidence verify pack.zip --key ${VERIFIER_KEY}`);
    expect(html).toContain('out of band');
    expect(html).toContain('SOC 2 evidence pack, 2026-Q4');
    expect(html).toContain('As of: 2027-01-05T10:30:00.000Z');
    expect(html).toContain('Requested by: Amélie Laurent (amelie@example.com)');
    expect(html).toContain('Root cause: Break-glass grant during incident INC-2291');
    expect(html).toContain('Annotated by Zoë Müller at 2026-12-02T09:14:00Z');
    expect(html).toContain('Ledger events: 4410, 4412');
    expect(html).toContain('no data source: no directory is connected');
    expect(html).toContain('grant_without_prior_approval: 2 exceptions (1 annotated)');
    expect(html).toContain('3 of revocations (operates many per day: 25 required)');
    expect(html).toContain(picks('grant', 25).join('</code>, <code>'));
    expect(html).toContain('<a href="./populations/grants_provisioned.csv">');
    expect(html).toContain('<a href="./proofs/consistency-3980-6211.json">');
    expect(html).toContain(`Size 3980, root <code>${START_ROOT}</code>`);
  });

  it('escapes what people wrote and loads nothing', () => {
    const html = renderIndexHtml(soc2Model());

    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Reason given: &lt;script&gt;alert(1)&lt;/script&gt; \u{1F680} urgent');
    expect(html).not.toMatch(/\b(src|href)="(?!\.\/|#)/);
    expect(html).not.toMatch(/url\(|@import/);
  });

  it('says why the period start cannot be proven when there is no start checkpoint', () => {
    const html = renderIndexHtml(modelWithoutStart());

    expect(html).toContain(`Start checkpoint: none. ${START_NOTE}`);
    expect(html).toContain(`no consistency proof can be checked: ${START_NOTE}`);
    expect(html).not.toContain('Consistency proof:');
  });

  it('lists the first EXCEPTIONS_LISTED exceptions of a test and points to its file for the rest', () => {
    const html = renderIndexHtml(modelWithManyExceptions(EXCEPTIONS_LISTED + 5));

    expect(html).toContain(`<code>${lastListed}</code>`);
    expect(html).not.toContain(`<code>${firstLeftOut}</code>`);
    expect(html).toContain('... and 5 more exceptions, listed in tests/approver_is_requester.json');
  });

  it('is the same string for the same model', () => {
    expect(renderIndexHtml(soc2Model())).toBe(renderIndexHtml(soc2Model()));
  });
});

describe('index.pdf', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renders the same bytes twice, and other bytes for another model', async () => {
    const first = await renderIndexPdf(soc2Model());
    const second = await renderIndexPdf(soc2Model());
    const other = await renderIndexPdf(modelWithoutStart());

    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(first.equals(second)).toBe(true);
    expect(first.equals(other)).toBe(false);
    expect(first.toString('latin1')).toContain('(D:20270105103000Z)');
  });

  it('takes nothing from the clock', async () => {
    const now = await renderIndexPdf(soc2Model());
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-06-15T12:00:00Z'));

    const later = await renderIndexPdf(soc2Model());

    expect(later.equals(now)).toBe(true);
  });

  it('draws the controls, exceptions, verify command and annotations', async () => {
    const text = pdfText(await renderIndexPdf(soc2Model(), { compress: false }));

    for (const id of ['CC6.2', 'CC6.3']) expect(text).toContain(`${id}: Access is`);
    for (const key of ['grant-0193', 'grant-0207', 'req-0042']) expect(text).toContain(`${key}: `);
    expect(text).toContain('npx grantflow evidence verify pack.zip \\\n  --key');
    expect(text).toContain(`--key ${VERIFIER_KEY}\n`);
    expect(unwrapped(text)).toContain('Annotated by Zoë Müller at 2026-12-02T09:14:00Z');
    expect(unwrapped(text)).toContain('no data source: no directory is connected');
    expect(text).toContain('page 1 of ');
  });

  it('draws characters the standard fonts lack as ?', async () => {
    const text = unwrapped(pdfText(await renderIndexPdf(soc2Model(), { compress: false })));

    expect(text).toContain('Reason given: <script>alert(1)</script> ? urgent');
    expect(text).toContain('Requested and approved by ?? (li.lei@example.com)');
    expect(winAnsi('caf\u0065\u0301 \u2014 \u20ac5 \u{1F680}\t\u0007 \u674e')).toBe(
      'café \u2014 \u20ac5 ? ? ?',
    );
  });

  it('says why the period start cannot be proven, and caps exceptions as the HTML does', async () => {
    const withoutStart = unwrapped(pdfText(await renderIndexPdf(modelWithoutStart(), { compress: false })));
    const many = unwrapped(
      pdfText(await renderIndexPdf(modelWithManyExceptions(EXCEPTIONS_LISTED + 5), { compress: false })),
    );

    expect(withoutStart).toContain(`Start checkpoint: none. ${START_NOTE}`);
    expect(many).toContain(`${lastListed}: `);
    expect(many).not.toContain(`${firstLeftOut}: `);
    expect(many).toContain('... and 5 more exceptions, listed in tests/approver_is_requester.json');
  });
});
