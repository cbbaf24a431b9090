import { expect, test } from '@playwright/test';
import { e2eStack } from './stack';

// These start signed out (the other specs run as the owner global-setup signed in).
test.use({ storageState: { cookies: [], origins: [] } });

const stack = e2eStack();
const owner = () => {
  const email = process.env.E2E_OWNER_EMAIL;
  const password = process.env.E2E_OWNER_PASSWORD;
  if (!email || !password) throw new Error('E2E_OWNER_EMAIL/E2E_OWNER_PASSWORD unset: global-setup creates the owner');
  return { email, password };
};

test('without a session the dashboard sends you to the sign-in page', async ({ page }) => {
  await page.goto(stack.url);
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await expect(page.getByRole('heading', { name: 'Sign in to Whetstone' })).toBeVisible();
  await expect(page.getByTestId('user-menu')).toHaveCount(0);
});

test('a wrong password shows the error and stays on the sign-in page', async ({ page }) => {
  await page.goto(`${stack.url}/login`);
  await page.getByLabel('Email').fill(owner().email);
  await page.getByLabel('Password').fill('definitely-not-it');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('login-error')).toHaveText('Wrong email or password');
  await expect(page).toHaveURL(/\/login/);
});

test('signing in lands on the dashboard; signing out returns to /login and the dashboard redirects again', async ({ page }) => {
  await page.goto(stack.url);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill(owner().email);
  await page.getByLabel('Password').fill(owner().password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).not.toHaveURL(/\/login/);
  await expect(page.getByTestId('user-menu')).toContainText(owner().email);
  const dashboard = page.url();

  // Already signed in: the sign-in page passes you on.
  await page.goto(`${stack.url}/login`);
  await expect(page).not.toHaveURL(/\/login/);

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(dashboard);
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('after sign-in you return to the page you asked for, but never to another site', async ({ page }) => {
  await page.goto(`${stack.url}/login?next=${encodeURIComponent('//evil.example/')}`);
  await page.getByLabel('Email').fill(owner().email);
  await page.getByLabel('Password').fill(owner().password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  expect(new URL(page.url()).origin).toBe(new URL(stack.url).origin);
});
