// A critical-risk approval needs a passkey: the manager registers one in the console with
// Chromium's virtual authenticator (CDP WebAuthn domain), approves through the confirm page, and
// `grantflow audit check-decision` verifies the recorded assertion offline.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { searchLedger } from '../../audit/read.js';
import { sequenceAll } from '../../audit/sequencer.js';
import {
  expectNoSeriousA11yViolations,
  navigate,
  screenshot,
  signInAs,
  useBrowserStack,
} from '../helpers/browser.js';
import { grantflow } from '../helpers/cli.js';

const TOM = 'tom.becker@acme.test';
const HANNAH = 'hannah.kim@acme.test';

/** A platform passkey that verifies the user, as a laptop's would; no prompt in headless Chromium. */
async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

describe('passkey step-up in the console', () => {
  const fixture = useBrowserStack();

  it('registers a passkey, approves a critical request with it, and check-decision verifies the event', async () => {
    const { stack } = fixture;
    // Setup: Tom asks for GitHub organisation owner (critical: approving needs a passkey).
    const tom = await stack.newPage();
    await signInAs(tom, stack, TOM, '/request');
    await tom.getByLabel('Search the catalog').fill('github');
    await tom
      .getByRole('button', { name: 'Request Organisation owner on GitHub (acme-inc organisation)' })
      .click();
    await tom.getByLabel('For how long', { exact: true }).fill('2');
    await tom.getByLabel('For how long: unit').selectOption('hours');
    await tom.getByLabel('Reason', { exact: true }).fill('Rotate the org webhook secret (INC-981)');
    await tom.getByRole('button', { name: 'Submit request' }).click();
    await tom.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
    const requestId = tom.url().split('/').pop() ?? '';
    await expect.poll(() => tom.getByText('Each approver confirms with a passkey.').isVisible()).toBe(true);
    await expect.poll(() => tom.locator('.steps').textContent()).toContain(HANNAH);

    // Act: Hannah registers a passkey.
    const hannah = await stack.newPage();
    await addVirtualAuthenticator(hannah);
    await signInAs(hannah, stack, HANNAH, '/passkeys');
    await expect.poll(() => hannah.getByText('You have no passkey yet.').isVisible()).toBe(true);
    await hannah.getByLabel('Name (so you recognise it later)').fill('Work laptop');
    await hannah.getByRole('button', { name: 'Register a passkey' }).click();
    await expect
      .poll(() => hannah.getByRole('cell', { name: 'Work laptop' }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    await screenshot(hannah, 'passkeys');
    await expectNoSeriousA11yViolations(hannah);

    // Act: approving from the inbox goes to the confirm page, where the passkey signs the decision.
    await navigate(hannah, 'Approvals');
    const card = hannah.locator('li.approval', { hasText: 'Tom Becker' });
    await expect.poll(() => card.isVisible(), { timeout: 20_000 }).toBe(true);
    await card.getByLabel('Your reason').fill('Incident INC-981, two hours');
    await card.getByRole('button', { name: 'Approve' }).click();
    await hannah.waitForURL(new RegExp(`/requests/${requestId}/confirm\\?`));
    await expect
      .poll(() => hannah.getByLabel('Your reason').inputValue())
      .toBe('Incident INC-981, two hours');
    await screenshot(hannah, 'confirm-approval');
    await expectNoSeriousA11yViolations(hannah);
    await hannah.getByRole('button', { name: 'Approve with passkey' }).click();
    await hannah.waitForURL(new RegExp(`/requests/${requestId}$`), { timeout: 20_000 });
    await expect
      .poll(() => hannah.getByRole('cell', { name: HANNAH }).isVisible(), { timeout: 20_000 })
      .toBe(true);

    // Verify: the ledger holds the approval with its assertion, and check-decision verifies it.
    let eventId: string | undefined;
    await expect
      .poll(
        async () => {
          await sequenceAll(stack.database.runtime.sql);
          const events = await searchLedger(stack.database.runtime.sql, { correlation: requestId }, 1_000);
          const approved = events
            .map(
              (row) => row.event as { event_id: string; event_type: string; details?: { stepUp?: unknown } },
            )
            .find((event) => event.event_type === 'access.request.approved' && event.details?.stepUp);
          eventId = approved?.event_id;
          return eventId;
        },
        { timeout: 20_000 },
      )
      .toBeDefined();
    const checked = await grantflow(['audit', 'check-decision', String(eventId)], stack.cliEnv());
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain(`OK: ${HANNAH} approved step 1 of request ${requestId}`);
    expect(checked.stdout).toContain('signed with the passkey they registered');
  });
});
