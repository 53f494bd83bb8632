// An auditor in Chromium: an approval happens (through the API, with the people's own console
// sessions) and a checkpoint is sealed over it; the auditor finds the approval in the ledger with a
// filter, downloads its inclusion proof, and `grantflow audit check-proof` accepts the file. The
// verify page reports the ledger intact; the checkpoints page lists the checkpoint and downloads
// its signed note. Axe runs on each auditor page.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sealCheckpoint } from '../../audit/checkpoint.js';
import { sequenceAll } from '../../audit/sequencer.js';
import { expectNoSeriousA11yViolations, screenshot, signInAs, useBrowserStack } from '../helpers/browser.js';
import { grantflow } from '../helpers/cli.js';
import { signIn } from '../helpers/dev-idp.js';

const TOM = 'tom.becker@acme.test';
const HANNAH = 'hannah.kim@acme.test';
const IRENE = 'irene.walsh@acme.test';

/** Waits until `text` shows on the page. */
async function shows(page: Page, text: string | RegExp, timeout = 20_000): Promise<void> {
  await expect
    .poll(() => page.getByText(text).first().isVisible(), { timeout, message: `${text} on ${page.url()}` })
    .toBe(true);
}

/** A write with a console session's cookie and CSRF token, as the console sends it. */
async function post(
  url: string,
  session: { cookie: string; csrfToken: string },
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(answer)).toBeLessThan(300);
  return answer;
}

describe('an auditor in the console', () => {
  const fixture = useBrowserStack();

  it('finds an approval in the ledger, downloads its proof that check-proof accepts, verifies, lists checkpoints', async () => {
    const { stack } = fixture;
    const sql = stack.database.runtime.sql;

    // Setup: Tom asks for payments_read, Hannah approves it.
    const tom = await signIn(stack.url, TOM);
    const created = await post(`${stack.url}/api/v1/requests`, tom, {
      resource: 'payments-db',
      entitlement: 'payments_read',
      durationSeconds: 86_400,
      reason: 'Reconcile the March refunds (FIN-204)',
    });
    const requestId = String(created.id);
    const hannah = await signIn(stack.url, HANNAH);
    await expect
      .poll(
        async () =>
          (
            await fetch(`${stack.url}/api/v1/requests/${requestId}/decisions`, {
              method: 'POST',
              headers: {
                cookie: hannah.cookie,
                'x-csrf-token': hannah.csrfToken,
                'content-type': 'application/json',
              },
              body: JSON.stringify({ decision: 'approve', comment: 'Fine for a day' }),
            })
          ).status,
        { timeout: 20_000, interval: 500 },
      )
      .toBe(200);

    // The approval is sequenced into the ledger and a checkpoint sealed over it (as the worker does).
    await expect
      .poll(
        async () => {
          await sequenceAll(sql);
          const [row] = await sql<{ n: number }[]>`
            select count(*)::int as n from audit_ledger
            where event->>'event_type' = 'access.request.approved' and event::text like ${`%${requestId}%`}`;
          return row?.n;
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    const sealed = await sealCheckpoint(sql, stack.api.ledger.keys, {
      origin: 'test.grantflow/audit',
      exportDir: stack.api.ledger.exportDir,
    });

    // Act: Irene searches the ledger for approvals of this request.
    const irene = await stack.newPage();
    await signInAs(irene, stack, IRENE, '/audit');
    await shows(irene, 'Ledger');
    await expectNoSeriousA11yViolations(irene);
    await irene.getByLabel('Event type').fill('access.request.approved');
    await irene.getByLabel('Correlation (request, campaign or workflow id)').fill(requestId);
    await irene.getByRole('button', { name: 'Search' }).click();
    const entries = irene.locator('li.ledger-entry');
    await expect.poll(() => entries.count(), { timeout: 20_000 }).toBe(1);
    const entry = entries.first();
    expect(await entry.locator('summary').textContent()).toContain('access.request.approved');
    expect(await entry.locator('summary').textContent()).toContain(HANNAH);
    await entry.locator('summary').click();
    await expectNoSeriousA11yViolations(irene);
    await screenshot(irene, 'audit-ledger');

    // The proof, as the browser saves it, and the CLI's offline check of the file.
    const downloading = irene.waitForEvent('download');
    await entry.getByRole('button', { name: 'Download inclusion proof' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const file = String(await download.path());
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { treeSize: number; event: { event: unknown } };
    expect(bundle.treeSize).toBe(sealed.treeSize);
    expect(JSON.stringify(bundle.event.event)).toContain(requestId);
    const checked = await grantflow(['audit', 'check-proof', file], stack.cliEnv());
    expect(checked.code, checked.stderr + checked.stdout).toBe(0);
    expect(checked.stdout).toContain('OK: the event is included in the signed ledger checkpoint.');

    // Verification: run it, see intact.
    await irene.getByRole('link', { name: 'Verify' }).click();
    await irene.getByRole('button', { name: 'Run verification' }).click();
    await expect
      .poll(() => irene.getByRole('heading', { name: 'Intact' }).isVisible(), { timeout: 60_000 })
      .toBe(true);
    await shows(irene, 'No finding.');
    await expectNoSeriousA11yViolations(irene);
    await screenshot(irene, 'audit-verify');

    // Checkpoints: the sealed one is listed, and its signed note downloads byte for byte.
    await irene.getByRole('link', { name: 'Checkpoints' }).click();
    const row = irene.getByRole('row', { name: new RegExp(`^${sealed.id} ${sealed.treeSize} `) });
    await expect.poll(() => row.isVisible(), { timeout: 20_000 }).toBe(true);
    await expectNoSeriousA11yViolations(irene);
    await screenshot(irene, 'audit-checkpoints');
    const noting = irene.waitForEvent('download');
    await irene.getByRole('button', { name: `Download the signed note of checkpoint ${sealed.id}` }).click();
    const note = await noting;
    expect(note.suggestedFilename()).toBe(`checkpoint-${sealed.id}-${sealed.treeSize}.note`);
    expect(readFileSync(String(await note.path()), 'utf8')).toBe(sealed.note);

    // The admin pages are not Irene's: the designed refusal, not a blank page.
    await irene.goto('/admin');
    await shows(irene, 'This page is not part of your role.');
    await shows(irene, /The server refused too \(403 forbidden\)/);
    await expectNoSeriousA11yViolations(irene);
  });
});
