import { expect, test, type Locator } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { e2eStack } from './stack';

const stack = e2eStack();
const target = stack.ws.workflow({ name: 'e2e-sched-target' });
target.task({ name: 'noop', fn: () => ({ ok: true }) });
const declared = stack.ws.workflow({ name: 'e2e-sched-declared', on: { cron: '0 3 * * *' } });
declared.task({ name: 'nightly', fn: () => ({ ok: true }) });
let worker: WhetstoneWorker | undefined;

test.beforeAll(async () => {
  worker = stack.ws.worker('e2e-sched-worker', { workflows: [target, declared], handleSignals: false });
  await worker.start();
});
test.afterAll(async () => {
  // Leave nothing firing every 5 minutes in the shared stack.
  await target.crons.delete('every-five').catch(() => undefined);
  await worker?.stop();
});

/** The instant a row's "next run" cell shows. */
async function nextRunOf(row: Locator): Promise<Date> {
  const iso = await row.getByTestId('schedule-next-run').locator('time').getAttribute('datetime');
  return new Date(iso ?? 'invalid');
}

test('a cron is created from the form and listed with its next run; an invalid expression is a field error', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/schedules`);
  const form = page.getByTestId('cron-form');
  await form.getByTestId('cron-workflow').selectOption('e2e-sched-target');
  await form.getByTestId('cron-name').fill('every-five');
  await form.getByTestId('cron-expression').fill('61 * * * *');
  await form.getByTestId('cron-submit').click();
  await expect(form.getByTestId('cron-expression-error')).toContainText('the minute field "61" is invalid');
  await expect(form.getByTestId('cron-expression')).toHaveAttribute('aria-invalid', 'true');

  await form.getByTestId('cron-expression').fill('*/5 * * * *');
  await expect(form.getByTestId('cron-expression-error')).toHaveCount(0);
  await expect(form.getByTestId('cron-expression-next')).toBeVisible();
  await form.getByTestId('cron-input').fill('{"digest": "<b>weekly</b>"}');
  await form.getByTestId('cron-submit').click();

  const row = page.getByTestId('crons').locator('tr[data-name="every-five"][data-workflow="e2e-sched-target"]');
  await expect(row).toHaveAttribute('data-source', 'API');
  await expect(row.getByTestId('schedule-source')).toHaveText('runtime');
  await expect(row).toContainText('*/5 * * * *');
  await expect(row.getByTestId('schedule-next-run')).toContainText(/in \d+ (s|min)/);
  const next = await nextRunOf(row);
  expect(next.getUTCMinutes() % 5).toBe(0);
  expect(next.getTime() - Date.now()).toBeGreaterThan(-2_000);
  expect(next.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  // The input renders as text, not markup.
  await row.locator('summary').click();
  await expect(row.locator('pre')).toContainText('"digest": "<b>weekly</b>"');
  await expect(row.locator('b')).toHaveCount(0);

  // The engine holds the same cron.
  const crons = await target.crons.list();
  expect(crons.find((c) => c.name === 'every-five')).toMatchObject({
    expression: '*/5 * * * *',
    source: 'API',
    input: { digest: '<b>weekly</b>' },
  });
});

test('a one-off schedule with a delay is pending, then deleted', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/schedules`);
  const form = page.getByTestId('oneoff-form');
  await form.getByTestId('oneoff-workflow').selectOption('e2e-sched-target');
  await form.getByTestId('oneoff-mode-delay').check();
  await form.getByTestId('oneoff-delay').fill('3600');
  await form.getByTestId('oneoff-input').fill('{ not json');
  await form.getByTestId('oneoff-submit').click();
  await expect(form.getByRole('alert')).toContainText('Input is not valid JSON');
  await form.getByTestId('oneoff-input').fill('{"n": 1}');
  await form.getByTestId('oneoff-submit').click();

  const row = page.getByTestId('oneoffs').locator('tr[data-workflow="e2e-sched-target"][data-state="pending"]');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('schedule-next-run')).toContainText(/in (59 min|1 h)/);
  const runAt = await nextRunOf(row);
  expect(Math.abs(runAt.getTime() - (Date.now() + 3600_000))).toBeLessThan(60_000);
  expect(await target.schedules.list()).toHaveLength(1);

  await row.getByTestId('schedule-delete').click();
  await row.getByTestId('schedule-delete-confirm').click();
  await expect(row).toHaveCount(0);
  expect(await target.schedules.list()).toHaveLength(0);
});

test('a cron declared in code is listed as declared and cannot be deleted from the page', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/schedules`);
  const row = page.getByTestId('crons').locator('tr[data-workflow="e2e-sched-declared"]');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-source', 'DEFINITION');
  await expect(row.getByTestId('schedule-source')).toHaveText('declared');
  await expect(row).toContainText('0 3 * * *');
  await expect(row.getByTestId('schedule-delete')).toHaveCount(0);
  await expect(row.getByTestId('declared-note')).toContainText('remove it from the code');
  const next = await nextRunOf(row);
  expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([3, 0]);
  expect(next.getTime()).toBeGreaterThan(Date.now());
});
