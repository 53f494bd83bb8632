// The everyday journey in Chromium: an employee signs in through the dev IdP, asks for
// payments-db/payments_read and sees who will approve; their manager approves from the inbox; the
// real worker provisions the role in the demo payments database; the employee's pages follow.

import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { databaseUserFor } from '../../connectors/index.js';
import { screenshot, signInAs, useBrowserStack } from '../helpers/browser.js';
import { withDatabase } from '../helpers/services.js';

const TOM = 'tom.becker@acme.test';
const HANNAH = 'hannah.kim@acme.test';

describe('request and approve in the console', () => {
  const fixture = useBrowserStack();

  it('an employee requests payments_read, sees who approves, and their manager approves it from the inbox', async () => {
    const { stack } = fixture;
    const tom = await stack.newPage();
    await signInAs(tom, stack, TOM);

    // Setup: Tom finds the entitlement in the catalog and asks for it.
    await tom.getByRole('link', { name: 'Request access' }).click();
    await tom.getByLabel('Search the catalog').fill('payments');
    await screenshot(tom, 'request-access-catalog');
    await tom.getByRole('button', { name: 'Request Read payments on Payments database' }).click();
    await tom.getByLabel('For how long').fill('2');
    await tom.getByLabel('For how long: unit').selectOption('days');
    await tom.getByLabel('Reason').fill('Support ticket SUP-4411: a refund that did not land');
    await screenshot(tom, 'request-access-form');
    await tom.getByRole('button', { name: 'Submit request' }).click();

    // Verify: the request's page says who approves (Hannah, manager and owner, asked once).
    await tom.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
    const requestId = tom.url().split('/').pop() ?? '';
    await expect
      .poll(() => tom.getByText('Waiting for approval').isVisible(), { timeout: 20_000 })
      .toBe(true);
    await expect.poll(() => tom.locator('.steps').textContent(), { timeout: 20_000 }).toContain(HANNAH);
    await expect.poll(() => tom.locator('.plan').textContent()).toContain('Hannah Kim');
    await screenshot(tom, 'request-detail-waiting');

    // Act: Hannah approves it from her inbox, with a reason.
    const hannah = await stack.newPage();
    await signInAs(hannah, stack, HANNAH, '/approvals');
    const card = hannah.locator('li.approval', { hasText: 'Tom Becker' });
    await expect.poll(() => card.isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => card.textContent()).toContain('Support ticket SUP-4411');
    await screenshot(hannah, 'approvals-waiting');
    await card.getByLabel('Your reason').fill('Refund investigation, two days is fine');
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(0);
    await hannah.getByRole('button', { name: 'Decided' }).click();
    await expect
      .poll(() => hannah.getByRole('cell', { name: 'Refund investigation, two days is fine' }).isVisible())
      .toBe(true);
    await screenshot(hannah, 'approvals-decided');

    // Verify: Tom's page moves to Granted by itself, the role is held in the target, and My access lists it.
    await expect
      .poll(() => tom.getByText('Granted', { exact: true }).isVisible(), { timeout: 60_000 })
      .toBe(true);
    await screenshot(tom, 'request-detail-granted');
    const target = postgres(withDatabase(inject('services').adminUrl, 'demo_payments_db'), {
      max: 1,
      onnotice: () => {},
    });
    try {
      const held = await target`
        select 1 from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
        where r.rolname = 'payments_read' and u.rolname = ${databaseUserFor(TOM)}`;
      expect(held.length).toBe(1);
    } finally {
      await target.end();
    }
    await tom.getByRole('link', { name: 'My access' }).click();
    await expect
      .poll(() => tom.getByRole('cell', { name: 'Read payments' }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    await screenshot(tom, 'my-access');
    await tom.getByRole('link', { name: 'My requests' }).click();
    await expect
      .poll(() => tom.getByRole('row', { name: /Read payments/ }).textContent())
      .toContain('Granted');
    await screenshot(tom, 'my-requests');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
