// An admin's day in Chromium: the dashboard's figures are the API's own, a campaign launched from
// the form (a refusal first, shown beside the field the API named), its burn-down following a
// reviewer who decides through the API, the report downloaded, sign-off. Axe runs on every admin
// page on the way, and an employee who opens /admin sees the API's refusal, not a blank page.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sequenceAll } from '../../audit/sequencer.js';
import { startImportedGrantLifetimes } from '../../grants/start-lifetimes.js';
import { expectNoSeriousA11yViolations, screenshot, signInAs, useBrowserStack } from '../helpers/browser.js';
import { signIn } from '../helpers/dev-idp.js';
import { QUICK_RETRY } from '../helpers/requests.js';

const RUTH = 'ruth.adeyemi@acme.test';
const PRIYA = 'priya.raman@acme.test';
const TOM = 'tom.becker@acme.test';
/** The campaign's name holds markup: the pages must show it as the characters typed. */
const NAME = 'Payments read, Q3 <img src=x onerror=alert(1)>';

type Dashboard = {
  openRequests: { total: number };
  grantsByRisk: { risk: string; count: number }[];
  ledger: { entries: number };
};

/** Waits until `text` shows on the page (the console fetches after navigation). */
async function shows(page: Page, text: string | RegExp, timeout = 20_000): Promise<void> {
  try {
    await expect
      .poll(() => page.getByText(text).first().isVisible(), { timeout, message: `${text} on ${page.url()}` })
      .toBe(true);
  } catch (error) {
    await screenshot(page, 'failed-admin-campaign');
    throw error;
  }
}

/** The numbers table behind a chart (its "Show the numbers" details), as rows of cell texts. */
async function chartRows(page: Page, title: string): Promise<string[][]> {
  const figure = page.locator('figure.chart', { has: page.locator('figcaption', { hasText: title }) });
  return figure
    .locator('.chart-data tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')),
    );
}

describe('an admin in the console', () => {
  const fixture = useBrowserStack();

  it('reads the dashboard, launches a campaign, watches its burn-down, downloads its report', async () => {
    const { stack } = fixture;
    const ruth = await stack.newPage();
    const dialogs: string[] = [];
    ruth.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signInAs(ruth, stack, RUTH, '/admin');
    // What the worker's sequencer does every few seconds, now: the ledger's figures are non-zero.
    await sequenceAll(stack.database.runtime.sql);
    await ruth.reload();

    // The dashboard: its cards and charts carry the API's own figures for this browser's session.
    await shows(ruth, 'open requests');
    const api = (await (await ruth.request.get('/api/v1/dashboard')).json()) as Dashboard;
    const ledgerCard = ruth.locator('.card', { hasText: 'ledger entries' });
    expect(await ledgerCard.locator('.figure').textContent()).toBe(String(api.ledger.entries));
    expect(api.ledger.entries).toBeGreaterThan(0);
    const openCard = ruth.locator('.card', { hasText: 'open requests' });
    expect(await openCard.locator('.figure').textContent()).toBe(String(api.openRequests.total));
    const byRisk = await chartRows(ruth, 'Active grants by risk');
    expect(byRisk).toEqual(api.grantsByRisk.map((row) => [row.risk, String(row.count)]));
    expect(api.grantsByRisk.reduce((sum, row) => sum + row.count, 0)).toBeGreaterThan(0);
    expect(await ruth.locator('figure.chart svg[role="img"]').count()).toBeGreaterThanOrEqual(3);
    await expectNoSeriousA11yViolations(ruth);
    await screenshot(ruth, 'admin-dashboard');

    // Launch: a scope naming no entitlement in the catalog is refused, the problem beside its field.
    await ruth.getByRole('link', { name: 'Campaigns' }).click();
    await shows(ruth, 'No campaign yet.');
    await expectNoSeriousA11yViolations(ruth);
    await ruth.getByRole('button', { name: 'Launch a campaign' }).click();
    const form = ruth.getByRole('form', { name: 'Launch a campaign' });
    await form.getByLabel('Name', { exact: true }).fill(NAME);
    await form.getByLabel('Due', { exact: true }).fill('2031-03-31T17:00');
    await form.getByLabel('If a reviewer does not answer by the due date').selectOption('keep');
    await form.getByLabel('Who reviews').selectOption('person');
    await form.getByLabel("Reviewer's email").fill(PRIYA);
    await form.getByLabel('Entitlements').fill('payments-db/no_such_role');
    await form.getByRole('button', { name: 'Launch campaign' }).click();
    const entitlements = form.locator('.field', { has: ruth.getByLabel('Entitlements') });
    await expect
      .poll(() => entitlements.locator('.error-text').textContent(), { timeout: 20_000 })
      .toContain('names no entitlement in the catalog (payments-db/no_such_role)');
    expect(await form.getByLabel('Entitlements').getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousA11yViolations(ruth);
    await screenshot(ruth, 'admin-campaign-launch-refused');

    // Launch for real: payments_read, four holders, Priya reviews them all.
    await form.getByLabel('Entitlements').fill('payments-db/payments_read');
    await form.getByRole('button', { name: 'Launch campaign' }).click();
    await ruth.waitForURL(/\/admin\/campaigns\/[0-9a-f-]{36}$/, { timeout: 20_000 });
    const campaignId = ruth.url().split('/').pop() ?? '';
    await shows(ruth, NAME);
    expect(await ruth.locator('main img').count()).toBe(0);
    await shows(ruth, 'decided (0 of 4)', 30_000);
    const decided = () =>
      chartRows(ruth, 'Burn-down').then((rows) => rows.map((row) => Number(row[2])).at(-1));
    expect(await decided()).toBe(0);

    // Act: Priya keeps two items, through the API with her own console session.
    const priya = await signIn(stack.url, PRIYA);
    const itemsUrl = `${stack.url}/api/v1/campaigns/${campaignId}/items`;
    const listed = (await (await fetch(itemsUrl, { headers: { cookie: priya.cookie } })).json()) as {
      items: { id: number }[];
    };
    expect(listed.items).toHaveLength(4);
    const decide = async (items: number[], decision: 'keep' | 'revoke', reason?: string) => {
      const response = await fetch(`${stack.url}/api/v1/campaigns/${campaignId}/decisions`, {
        method: 'POST',
        headers: {
          cookie: priya.cookie,
          'x-csrf-token': priya.csrfToken,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ items, decision, ...(reason ? { reason } : {}) }),
      });
      expect(response.status, await response.clone().text()).toBe(200);
    };
    const [first, second, third, fourth] = listed.items.map((item) => item.id) as [
      number,
      number,
      number,
      number,
    ];
    await decide([first, second], 'keep');

    // Verify: the page follows by itself, the chart's decided line climbs.
    await shows(ruth, 'decided (2 of 4)', 20_000);
    await expect.poll(decided, { timeout: 20_000 }).toBe(2);
    await expectNoSeriousA11yViolations(ruth);
    await screenshot(ruth, 'admin-campaign-progress');

    await decide([third], 'keep');
    await decide([fourth], 'revoke', 'Left the payments team in May');
    await shows(ruth, 'decided (4 of 4)', 20_000);
    await expect.poll(decided, { timeout: 20_000 }).toBe(4);

    // The report, as the browser saves it.
    const downloading = ruth.waitForEvent('download');
    await ruth.getByRole('button', { name: 'Download the report (CSV)' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync(String(await download.path()), 'utf8');
    expect(csv).toContain('Left the payments team in May');
    expect(csv.trim().split('\n').length).toBeGreaterThanOrEqual(5);

    // Sign-off once every item is settled (the revocation runs at the target first).
    await shows(ruth, 'Every item is settled: signing off closes the campaign.', 60_000);
    await ruth.getByRole('button', { name: 'Sign off' }).click();
    await shows(ruth, /^closed$/, 20_000);
    await screenshot(ruth, 'admin-campaign');

    // Grants: search by holder, and revoke one with a reason. The imported grants get their
    // lifetime workflows first, as the worker's loop gives them.
    const lifetimes = {
      db: stack.database.runtime.db,
      temporal: stack.api.temporal,
      taskQueue: stack.taskQueue,
      provisioningRetry: QUICK_RETRY,
    };
    while ((await startImportedGrantLifetimes(lifetimes)) > 0);
    await ruth.goto('/admin/grants');
    await ruth.getByLabel('Holder email').fill('hannah.kim@acme.test');
    await ruth.getByRole('button', { name: 'Search' }).click();
    const revokeWrite = ruth.getByRole('button', {
      name: /^Revoke .* on payments-db from hannah\.kim@acme\.test$/,
    });
    await expect.poll(() => revokeWrite.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await ruth.locator('tbody tr', { hasNotText: 'hannah.kim@acme.test' }).count()).toBe(0);
    await expectNoSeriousA11yViolations(ruth);
    await screenshot(ruth, 'a11y-admin-grants');
    const before = await revokeWrite.count();
    const revokedOfHannah = async () => {
      const answer = await ruth.request.get('/api/v1/grants?holder=hannah.kim@acme.test&status=revoked');
      return ((await answer.json()) as { items: unknown[] }).items.length;
    };
    const revokedBefore = await revokedOfHannah();
    await revokeWrite.first().click();
    await ruth.getByLabel('Reason').fill('Moved off the payments on-call rota');
    await expectNoSeriousA11yViolations(ruth);
    await ruth.getByRole('button', { name: 'Revoke access' }).click();
    await expect
      .poll(() => ruth.getByRole('heading', { name: /^Revoke / }).count(), {
        timeout: 30_000,
        message: 'the revoke form closes (an error would keep it open)',
      })
      .toBe(0);
    await expect.poll(() => revokeWrite.count(), { timeout: 30_000 }).toBe(before - 1);
    // The workflow removes it at the target; the API then lists it revoked.
    await expect.poll(revokedOfHannah, { timeout: 30_000 }).toBe(revokedBefore + 1);

    // Every other admin page: designed, accessible, with data.
    await ruth.goto('/admin/campaigns');
    await shows(ruth, NAME);
    expect(await ruth.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await expectNoSeriousA11yViolations(ruth);
    for (const [path, ready] of [
      ['/admin/requests', 'Requester email'],
      ['/admin/directory', 'Priya Raman'],
      ['/admin/catalog', 'Payments database'],
    ] as const) {
      await ruth.goto(path);
      await shows(ruth, ready);
      await expectNoSeriousA11yViolations(ruth);
      await screenshot(ruth, `a11y-admin-${path.split('/').pop()}`);
    }
    await ruth.getByRole('link', { name: 'standard', exact: true }).click();
    await ruth.waitForURL(/\/admin\/policies\/standard$/);
    await shows(ruth, 'The two versions are the same.');
    await expectNoSeriousA11yViolations(ruth);
    await screenshot(ruth, 'a11y-admin-policy');

    // An employee who opens /admin sees why not, in the API's words; the API refuses their session.
    const tom = await stack.newPage();
    await signInAs(tom, stack, TOM, '/admin');
    await shows(tom, 'This page is not part of your role.');
    await shows(tom, /The server refused too \(403 forbidden\)/);
    const refused = await tom.request.get('/api/v1/dashboard');
    expect(refused.status()).toBe(403);
    await expectNoSeriousA11yViolations(tom);
    await screenshot(tom, 'admin-refused-employee');
  });
});
