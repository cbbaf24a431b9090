import { expect, test } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { e2eStack } from './stack';
import { openFirstRun } from './page-helpers';

const stack = e2eStack();
const workers: WhetstoneWorker[] = [];
test.afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

test('runs list shows the completed demo runs and the transport in use', async ({ page }) => {
  await page.goto(stack.url);
  await expect(page.getByTestId('transport')).toContainText(stack.transport === 'redis' ? 'Redis' : 'PostgreSQL');
  const table = page.getByTestId('runs-table');
  await expect(table.getByRole('link', { name: 'support-reply' })).toHaveCount(3);
  await expect(table.getByRole('link', { name: 'lowercase' })).toHaveCount(1);
  await expect(table.getByRole('link', { name: 'ticket-triage' })).toHaveCount(3);
  // The 7 demo runs succeeded; specs that ran earlier (alphabetically) may have added their own.
  await expect(page.getByTestId('filter-SUCCEEDED')).toHaveText(/Succeeded\s*\d+/);
  const succeeded = Number((await page.getByTestId('filter-SUCCEEDED').textContent())!.replace(/\D/g, ''));
  expect(succeeded).toBeGreaterThanOrEqual(7);

  await page.getByTestId('filter-FAILED').click();
  await expect(page).toHaveURL(/status=FAILED/);
  // None of the demo runs failed: the filtered list holds no demo run and nothing that did not fail.
  await expect(page.locator('tr[data-testid^="run-"]:not([data-status="FAILED"])')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'support-reply' })).toHaveCount(0);
});

test('run detail shows every task with its input, output and logs', async ({ page }) => {
  await openFirstRun(page, stack.url, 'support-reply');
  await expect(page.getByTestId('run-detail')).toBeVisible();
  for (const task of ['classify', 'lookup-customer', 'draft', 'review']) {
    await expect(page.getByTestId(`task-${task}`)).toContainText('Succeeded');
  }
  await expect(page.getByTestId('task-draft')).toContainText('"category"');
  await expect(page.getByTestId('logs-draft')).toContainText(/drafted \d+ characters/);
  await expect(page.getByTestId('task-review')).toContainText('"approved": true');
  await expect(page.getByTestId('graph-node-draft')).toBeVisible();
});

test('user data (LLM output, logs, errors) is rendered as text, never as HTML', async ({ page }) => {
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const wf = stack.ws.workflow({ name: 'e2e-escape' });
  wf.task({
    name: 'echo-html',
    fn: (_input, ctx) => {
      ctx.log(payload);
      return { reply: payload };
    },
  });
  const worker = stack.ws.worker('e2e-escape', { workflows: [wf], handleSignals: false });
  workers.push(worker);
  await worker.start();
  const ref = await wf.runNoWait({ question: payload });
  await ref.result();

  await page.goto(`${stack.url}/p/default/runs/${ref.runId}`);
  await expect(page.getByTestId('task-echo-html')).toContainText('Succeeded');
  await expect(page.getByTestId('logs-echo-html')).toContainText(payload);
  await expect(page.getByTestId('run-detail')).toContainText('<img src=x onerror=');
  expect(await page.locator('[data-testid="run-detail"] img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('the list and the detail update live, without a reload', async ({ page }) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const wf = stack.ws.workflow({ name: 'e2e-live' });
  wf.task({ name: 'wait-for-test', fn: async () => (await gate, { done: true }) });
  const worker = stack.ws.worker('e2e-live', { workflows: [wf], handleSignals: false });
  workers.push(worker);
  await worker.start();
  const ref = await wf.runNoWait({});

  await page.goto(stack.url);
  const row = page.getByTestId(`run-${ref.runId}`);
  await expect(row).toContainText('Running');
  await page.goto(`${stack.url}/p/default/runs/${ref.runId}`);
  await expect(page.getByTestId('task-wait-for-test')).toContainText('Running');
  release();
  await expect(page.getByTestId('task-wait-for-test')).toContainText('Succeeded');
  await expect(page.getByTestId('task-wait-for-test')).toContainText('"done": true');
  await ref.result();
});

test('an unknown run id shows a clear not-found page', async ({ page }) => {
  const response = await page.goto(`${stack.url}/p/default/runs/0190a8f0-0000-7000-8000-000000000000`);
  expect(response?.status()).toBe(404);
  await expect(page.getByText(/could not be found/i).first()).toBeVisible();
});
