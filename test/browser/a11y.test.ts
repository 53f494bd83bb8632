// axe-core on every everyone's, approver's and reviewer's page, in its designed states (empty and
// with data), with no serious or critical violation; screenshots of each for the artifacts.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousA11yViolations, screenshot, signInAs, useBrowserStack } from '../helpers/browser.js';

const TOM = 'tom.becker@acme.test';
const HANNAH = 'hannah.kim@acme.test';

/** Opens `path` through the console's own navigation state (a deep link), waits for `ready`, checks. */
async function check(page: Page, path: string, ready: string, name: string): Promise<void> {
  await page.goto(path);
  await expect
    .poll(() => page.getByText(ready, { exact: false }).first().isVisible(), { timeout: 20_000 })
    .toBe(true);
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, name);
}

describe('accessibility of the console pages', () => {
  const fixture = useBrowserStack();

  it('has no serious or critical axe violation on any page', async () => {
    const { stack } = fixture;
    const signedOut = await stack.newPage();
    await check(signedOut, '/', 'Sign in', 'sign-in');

    const tom = await stack.newPage();
    await signInAs(tom, stack, TOM);
    await check(tom, '/', 'My access', 'a11y-my-access');
    await check(tom, '/requests', 'You have not asked for anything yet.', 'a11y-my-requests-empty');
    await check(tom, '/approvals', 'Nothing waits for your decision.', 'a11y-approvals-empty');
    await check(tom, '/passkeys', 'You have no passkey yet.', 'a11y-passkeys-empty');
    await check(tom, '/reviews', 'Nothing to review.', 'a11y-reviews-empty');
    await check(tom, '/request', 'Payments database', 'a11y-request-catalog');
    await tom.getByRole('button', { name: 'Request Read payments on Payments database' }).click();
    await expectNoSeriousA11yViolations(tom);
    await tom.getByRole('button', { name: 'Submit request' }).click();
    // A refusal, as the form shows it (the policy asks a reason of medium risk).
    await expect.poll(() => tom.getByRole('alert').isVisible()).toBe(true);
    await expectNoSeriousA11yViolations(tom);
    await screenshot(tom, 'a11y-request-refused');
    await tom.getByLabel('Reason', { exact: true }).fill('Quarterly reconciliation');
    await tom.getByRole('button', { name: 'Submit request' }).click();
    await tom.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
    const detail = new URL(tom.url()).pathname;
    await expect.poll(() => tom.locator('.steps').textContent()).toContain(HANNAH);
    await check(tom, detail, 'Who approves', 'a11y-request-detail');
    await check(tom, '/requests', 'Read payments', 'a11y-my-requests');
    await check(tom, '/nowhere', 'There is no page here.', 'a11y-not-found');

    const hannah = await stack.newPage();
    await signInAs(hannah, stack, HANNAH, '/approvals');
    await check(hannah, '/approvals', 'Tom Becker', 'a11y-approvals');
    await check(hannah, `${detail}/confirm?decision=approve`, 'Confirm your approval', 'a11y-confirm');
    await hannah.goto('/approvals');
    await hannah.getByRole('button', { name: 'Decided' }).click();
    await expect.poll(() => hannah.getByText('You have not decided anything yet.').isVisible()).toBe(true);
    await expectNoSeriousA11yViolations(hannah);
  });
});
