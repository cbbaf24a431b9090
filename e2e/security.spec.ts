import { expect, test, type Page } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { z } from 'zod';
import { e2eStack } from './stack';

// Issue 18 in the browser: the nonce Content-Security-Policy and the other headers are on every
// page, Next.js and Monaco (the trigger form) work under it with no violation in the console, and
// the sign-in page never sends you to another site, whatever `next` says.

const stack = e2eStack();
const WORKFLOW = 'e2e-security-echo';
let worker: WhetstoneWorker;

test.beforeAll(async () => {
  const echo = stack.ws.workflow({ name: WORKFLOW, inputValidator: z.object({ name: z.string().min(1) }) });
  echo.task({ name: 'echo', fn: (input: { name: string }) => ({ echoed: input.name }) });
  worker = stack.ws.worker('e2e-security-worker', { workflows: [echo], handleSignals: false });
  await worker.start();
});
test.afterAll(async () => worker?.stop());

/** Every console message about the Content-Security-Policy (Chromium logs violations as errors), unfiltered. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/content security policy|content-security-policy/i.test(message.text())) seen.push(`${message.type()}: ${message.text()}`);
  });
  return seen;
}

test('pages carry a nonce CSP and the security headers; Monaco and Next work under it with no CSP violation', async ({ page }) => {
  const violations = cspViolations(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Violations also reach the page as securitypolicyviolation events: record them before any script runs.
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });

  const response = await page.goto(`${stack.url}/p/default/workflows/${WORKFLOW}`);
  const headers = response!.headers();
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');

  // Monaco (its bundle, its workers, its styles) loads and takes typing; the form validates (JSON worker) and sends.
  const editor = page.getByTestId('trigger-input');
  await expect(editor).toHaveAttribute('data-editor', 'monaco');
  await expect(editor.locator('.monaco-editor')).toBeVisible();
  await editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('{"name": "csp", ');
  await expect(page.getByTestId('trigger-input-error')).toContainText('Invalid JSON');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('{"name": "csp"}');
  await expect(page.getByTestId('trigger-input-error')).toHaveCount(0);
  await page.getByTestId('trigger-submit').click();
  await expect(page).toHaveURL(/\/p\/default\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'SUCCEEDED');

  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
});

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  for (const next of ['/%09/evil.example', '/%0A/evil.example', '/%5C/evil.example', '%2F%2Fevil.example']) {
    test(`after sign-in, next=${next} stays on this site`, async ({ page }) => {
      const response = await page.goto(`${stack.url}/login?next=${next}`);
      expect(response!.status()).toBe(200);
      await page.getByLabel('Email').fill(process.env.E2E_OWNER_EMAIL!);
      await page.getByLabel('Password').fill(process.env.E2E_OWNER_PASSWORD!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).not.toHaveURL(/\/login/);
      expect(new URL(page.url()).origin).toBe(new URL(stack.url).origin);
    });
  }
});
