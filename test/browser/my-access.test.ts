// "My access" in Chromium: what a person holds, only their own even when they are an admin, and
// giving access back from the page (the real worker removes it at the target).
import { describe, expect, it } from 'vitest';
import { expectNoSeriousA11yViolations, screenshot, signInAs, useBrowserStack } from '../helpers/browser.js';

const HANNAH = 'hannah.kim@acme.test';
const RUTH = 'ruth.adeyemi@acme.test';

describe('my access in the console', () => {
  const fixture = useBrowserStack();

  it('lists only my grants (an admin too) and gives one back', async () => {
    const { stack } = fixture;
    // An admin's page holds her own grants only, not everyone's.
    const ruth = await stack.newPage();
    await signInAs(ruth, stack, RUTH);
    await expect
      .poll(() => ruth.getByRole('cell', { name: 'Help desk administrator' }).isVisible())
      .toBe(true);
    expect(await ruth.getByRole('cell', { name: 'Write payments' }).count()).toBe(0);

    // Hannah gives back GitHub read access with a reason.
    const hannah = await stack.newPage();
    await signInAs(hannah, stack, HANNAH);
    const row = hannah.getByRole('row', { name: /Read all repositories/ });
    await expect.poll(() => row.isVisible()).toBe(true);
    await screenshot(hannah, 'my-access-with-grants');
    await row.getByRole('button', { name: 'Give back' }).click();
    await hannah.getByLabel('Reason (optional)').fill('Not needed since the move to payments');
    await expectNoSeriousA11yViolations(hannah);
    await hannah.getByRole('button', { name: 'Give it back now' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await expect
      .poll(async () => {
        const [grant] = await stack.database.runtime.sql<{ status: string }[]>`
          select g.status from grants g join people p on p.id = g.person_id
          join entitlements e on e.id = g.entitlement_id join resources r on r.id = e.resource_id
          where p.email = ${HANNAH} and r.key = 'github' and e.key = 'read'`;
        return grant?.status;
      })
      .toBe('released');
  });
});
