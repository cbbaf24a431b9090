import { expect, test, type Page } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { e2eStack } from './stack';

const stack = e2eStack();
let worker: WhetstoneWorker | undefined;

test.beforeAll(async () => {
  const flaky = stack.ws.workflow<{ fail: boolean }>({ name: 'e2e-metrics-flaky' });
  flaky.task({
    name: 'maybe-fail',
    fn: async (input) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (input.fail) throw new Error('asked to fail');
      return { ok: true };
    },
  });
  worker = stack.ws.worker('e2e-metrics-worker', { workflows: [flaky], handleSignals: false });
  await worker.start();
  const outcomes = await Promise.allSettled([false, false, false, true].map((fail) => flaky.run({ fail })));
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
});
test.afterAll(async () => {
  await worker?.stop();
});

/** A summary number's raw value. */
async function stat(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute('data-value'));
}

async function expectCharts(page: Page) {
  // Drawn by recharts in the page itself (no network): bars, and lines with their points.
  await expect(page.getByTestId('chart-runs').locator('svg path.recharts-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('chart-failure-rate').locator('svg path.recharts-curve')).not.toHaveCount(0);
  await expect(page.getByTestId('chart-failure-rate').locator('svg .recharts-line-dots circle')).not.toHaveCount(0);
  await expect(page.getByTestId('chart-duration').locator('svg path.recharts-curve')).toHaveCount(2);
}

test('the metrics page charts the demo runs and ours, with summary numbers that match', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/metrics?range=1h`);
  await expect(page.getByTestId('range-1h')).toHaveAttribute('aria-pressed', 'true');
  await expectCharts(page);

  // All workflows: the demo's 4 runs and our 4 at least.
  expect(await stat(page, 'metrics-runs')).toBeGreaterThanOrEqual(8);
  const demo = page.getByTestId('metrics-row-support-reply');
  await expect(demo).toBeVisible();
  const flakyRow = page.getByTestId('metrics-row-e2e-metrics-flaky');
  await expect(flakyRow.getByTestId('metrics-row-failure-rate')).toHaveText('25.0%');
  expect(await stat(page, 'metrics-failure-rate')).toBeGreaterThan(0);

  // One workflow, from its row: the URL keeps it.
  await flakyRow.getByRole('button', { name: 'e2e-metrics-flaky' }).click();
  await expect(page).toHaveURL(/[?&]workflow=e2e-metrics-flaky/);
  await expect(page.getByTestId('metrics-scope')).toContainText('workflow e2e-metrics-flaky');
  await expect.poll(() => stat(page, 'metrics-runs')).toBe(4);
  expect(await stat(page, 'metrics-failure-rate')).toBe(0.25);
  await expect(page.getByTestId('metrics-failure-rate')).toContainText('25.0%');
  expect(await stat(page, 'metrics-p50')).toBeGreaterThanOrEqual(50);
  expect(await stat(page, 'metrics-p95')).toBeGreaterThanOrEqual(await stat(page, 'metrics-p50'));
  await expect(page.getByTestId('metrics-row-maybe-fail')).toContainText('25.0%');
  await expectCharts(page);

  // Another range: wider buckets, same runs.
  await page.getByTestId('range-24h').click();
  await expect(page).toHaveURL(/range=24h/);
  await expect(page.getByTestId('metrics-scope')).toContainText('15 min buckets');
  await expect.poll(() => stat(page, 'metrics-runs')).toBe(4);

  // One task of it.
  await page.getByTestId('metrics-task').selectOption('maybe-fail');
  await expect(page).toHaveURL(/task=maybe-fail/);
  await expect(page.getByTestId('metrics-scope')).toContainText('task maybe-fail of e2e-metrics-flaky');
  await expect.poll(() => stat(page, 'metrics-failure-rate')).toBe(0.25);
  await expectCharts(page);

  // A reload keeps the view (it lives in the URL).
  await page.reload();
  await expect(page.getByTestId('range-24h')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('metrics-task')).toHaveValue('maybe-fail');
  expect(await stat(page, 'metrics-runs')).toBe(4);
});
