import { expect, test } from '@playwright/test';
import { e2eStack } from './stack';

// Runs as the owner of 'default' (global-setup's storageState).
const stack = e2eStack();
/** E2E_SCREENSHOTS=<dir> saves screenshots of the settings page (to look at the layout). */
const shot = async (page: import('@playwright/test').Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage: true });
};

test('an owner creates an API key (shown once), sees only its prefix afterwards, and revokes it', async ({ page }) => {
  await page.goto(`${stack.url}/p/default`);
  await page.getByTestId('nav-settings').click();
  await expect(page).toHaveURL(/\/p\/default\/settings$/);
  await expect(page.getByTestId('my-role')).toContainText('owner');

  const name = `e2e key ${Date.now()}`;
  await page.getByTestId('create-key').click();
  const dialog = page.getByTestId('new-key-dialog');
  await dialog.getByTestId('key-name').fill(name);
  await dialog.getByTestId('submit-key').click();
  await expect(dialog.getByTestId('key-once-warning')).toContainText('you will not see it again');
  const key = (await dialog.getByTestId('new-key').textContent())!.trim();
  expect(key).toMatch(/^ws_[A-Za-z0-9_-]{40,}$/);
  await expect(dialog.getByTestId('copy-key')).toBeVisible();
  await shot(page, 'settings-new-key');
  await dialog.getByTestId('close-key-dialog').click();
  await expect(dialog).toHaveCount(0);

  const row = page.getByTestId('api-keys-table').locator('tr', { hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('key-prefix')).toHaveText(`${key.slice(0, 10)}…`);
  await expect(row.getByTestId('key-status')).toHaveText('Active');
  await expect(row).toContainText('never');
  // The secret is nowhere on the page any more, not even after a reload.
  await expect(page.locator('body')).not.toContainText(key);
  await page.reload();
  await expect(page.locator('body')).not.toContainText(key);

  // The new key works for the SDK's REST API until it is revoked.
  const auth = { Authorization: `Bearer ${key}` };
  const before = await page.request.get(`${stack.url}/api/v1/runs/0190a8f0-0000-7000-8000-000000000000`, { headers: auth });
  expect(before.status()).toBe(404);

  await row.getByTestId('revoke-key').click();
  await row.getByTestId('confirm-revoke').click();
  await expect(row.getByTestId('key-status')).toHaveText('Revoked');
  await expect(row.getByTestId('revoke-key')).toHaveCount(0);
  await shot(page, 'settings-revoked');
  const after = await page.request.get(`${stack.url}/api/v1/runs/0190a8f0-0000-7000-8000-000000000000`, { headers: auth });
  expect(after.status()).toBe(401);
});

test('members: the owner is listed, unknown emails get a clear error, the last owner cannot be demoted', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/settings`);
  const members = page.getByTestId('members-table');
  const me = members.locator('tr', { hasText: '(you)' });
  await expect(me).toHaveAttribute('data-role', 'OWNER');

  await page.getByTestId('member-email').fill('nobody@e2e.test');
  await page.getByTestId('add-member-submit').click();
  await expect(page.getByTestId('members-error')).toContainText('No user with that email: create one with npm run user:create');

  await me.getByTestId('member-role').selectOption('VIEWER');
  await expect(page.getByTestId('members-error')).toContainText('at least one owner');
  await page.reload();
  await expect(page.getByTestId('members-table').locator('tr', { hasText: '(you)' })).toHaveAttribute('data-role', 'OWNER');
});

test('a project the user is not a member of is a 404; the switcher lists mine', async ({ page }) => {
  const response = await page.goto(`${stack.url}/p/not-my-project/settings`);
  expect(response?.status()).toBe(404);
  await page.goto(`${stack.url}/p/default`);
  await expect(page.getByTestId('project-switcher')).toHaveValue('default');
});
