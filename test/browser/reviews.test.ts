// A reviewer's campaign work in Chromium: an admin launches a certification campaign over the
// payments database and GitHub; the manager reviews her reports' access on /reviews: progress,
// revoke with a reason, delegate one item, keep the rest in bulk; axe on the page in each state.
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../db/queries/api-tokens.js';
import { getPersonByEmail } from '../../db/queries/people.js';
import { bearer } from '../helpers/api.js';
import { expectNoSeriousA11yViolations, screenshot, signInAs, useBrowserStack } from '../helpers/browser.js';

const RUTH = 'ruth.adeyemi@acme.test';
const HANNAH = 'hannah.kim@acme.test';
const MARCUS = 'marcus.chen@acme.test';

describe('certification reviews in the console', () => {
  const fixture = useBrowserStack();

  it('shows progress, revokes with a reason, delegates, and keeps the rest in bulk', async () => {
    const { stack } = fixture;
    // Setup: Ruth (admin) launches a campaign; each holder's manager reviews.
    const ruth = await getPersonByEmail(stack.database.runtime.db, RUTH);
    const { token } = await createApiToken(stack.database.runtime.db, {
      personId: ruth?.id ?? '',
      role: 'admin',
    });
    const launched = await stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      headers: bearer(token),
      payload: {
        name: 'Payments and code, Q4',
        scope: { resources: ['payments-db', 'github'] },
        reviewer: { rule: 'manager' },
        dueInSeconds: 7 * 86_400,
        defaultAction: 'keep',
      },
    });
    expect(launched.statusCode, launched.body).toBe(201);

    // The campaign snapshots its population and assigns reviewers in its workflow: wait for it.
    const { campaignId } = launched.json() as { campaignId: string };
    await expect
      .poll(async () => {
        const read = await stack.api.app.inject({
          url: `/api/v1/campaigns/${campaignId}`,
          headers: bearer(token),
        });
        return (read.json() as { status: string }).status;
      })
      .toBe('reviewing');

    // Act: Hannah opens her reviews; her reports Aisha and Yuki hold access in scope.
    const hannah = await stack.newPage();
    await signInAs(hannah, stack, HANNAH, '/reviews');
    await expect
      .poll(() => hannah.getByText('Payments and code, Q4', { exact: true }).first().isVisible())
      .toBe(true);
    const rows = hannah.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    const total = await rows.count();
    await expect.poll(() => hannah.locator('.progress').textContent()).toContain(`0 of ${total} reviewed`);
    await screenshot(hannah, 'reviews-open');
    await expectNoSeriousA11yViolations(hannah);

    // Revoke one with a reason.
    const revokeName =
      'Revoke Aisha Bello: Push to application repositories on GitHub (acme-inc organisation)';
    await hannah.getByRole('button', { name: revokeName, exact: true }).click();
    await hannah.getByLabel('Why revoke it').fill('Moved to the payments team; no pushes since March');
    await expectNoSeriousA11yViolations(hannah);
    await hannah.getByRole('form', { name: revokeName }).getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => hannah.getByRole('status').textContent()).toContain('1 item revoked.');
    await expect.poll(() => rows.count()).toBe(total - 1);

    // Delegate one to Marcus.
    await hannah
      .getByRole('checkbox', {
        name: 'Select Yuki Tanaka: Push to application repositories on GitHub (acme-inc organisation)',
      })
      .check();
    await hannah.getByLabel('Delegate selected to').fill(MARCUS);
    await hannah.getByRole('button', { name: 'Delegate', exact: true }).click();
    await expect
      .poll(() => hannah.getByRole('status').textContent())
      .toContain(`1 item handed to ${MARCUS}.`);
    await expect.poll(() => rows.count()).toBe(total - 2);

    // Keep everything left on the page at once.
    await hannah.getByRole('checkbox', { name: 'Select every item on this page' }).check();
    await hannah.getByRole('button', { name: `Keep selected (${total - 2})` }).click();
    await expect.poll(() => hannah.getByText('Nothing to review.').isVisible()).toBe(true);
    await expect
      .poll(() => hannah.locator('.progress').textContent())
      .toContain(`${total - 1} of ${total - 1} reviewed`);
    await screenshot(hannah, 'reviews-done');
    await expectNoSeriousA11yViolations(hannah);

    // Verify: the decided list holds the revocation with its reason, as typed.
    await hannah.getByRole('button', { name: 'Decided' }).click();
    await expect
      .poll(() =>
        hannah.getByRole('cell', { name: 'Moved to the payments team; no pushes since March' }).isVisible(),
      )
      .toBe(true);
    await expect.poll(() => hannah.locator('tbody tr').count()).toBe(total - 1);
    await screenshot(hannah, 'reviews-decided');
    await expectNoSeriousA11yViolations(hannah);
  });
});
