// Everything people type is shown as text: a reason holding markup reaches the approver's inbox
// and the request page as the characters typed, never as an element, and no script runs.
import { describe, expect, it } from 'vitest';
import { signInAs, useBrowserStack } from '../helpers/browser.js';

const TOM = 'tom.becker@acme.test';
const HANNAH = 'hannah.kim@acme.test';
const MARKUP = '<img src=x onerror=alert(1)>';

describe('user-supplied text in the console', () => {
  const fixture = useBrowserStack();

  it('shows a reason containing markup as text, with no element made and no dialog fired', async () => {
    const { stack } = fixture;
    const dialogs: string[] = [];
    const tom = await stack.newPage();
    tom.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signInAs(tom, stack, TOM, '/request');
    await tom.getByLabel('Search the catalog').fill('payments');
    await tom.getByRole('button', { name: 'Request Read payments on Payments database' }).click();
    await tom.getByLabel('Reason', { exact: true }).fill(`Ticket ${MARKUP} please`);
    await tom.getByRole('button', { name: 'Submit request' }).click();
    await tom.waitForURL(/\/requests\/[0-9a-f-]{36}$/);

    await expect.poll(() => tom.getByText(`Ticket ${MARKUP} please`).isVisible()).toBe(true);
    expect(await tom.locator('main img').count()).toBe(0);
    // The request reaches Hannah's step before she looks (the workflow works out the plan first).
    await expect.poll(() => tom.locator('.steps').textContent()).toContain(HANNAH);

    const hannah = await stack.newPage();
    hannah.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signInAs(hannah, stack, HANNAH, '/approvals');
    const card = hannah.locator('li.approval', { hasText: 'Tom Becker' });
    await expect.poll(() => card.isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => card.getByText(`Ticket ${MARKUP} please`).isVisible()).toBe(true);
    expect(await hannah.locator('main img').count()).toBe(0);
    expect(await hannah.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
