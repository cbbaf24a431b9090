import { expect, test, type Page } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { openRunsList } from './page-helpers';
import { e2eStack } from './stack';

// The runs list's filters (status, metadata, text), views reproduced from the URL, and bulk replay.
const stack = e2eStack();
const WORKFLOW = 'e2e-runs-list';
const runs: Record<'zanzibar' | 'quokka' | 'failing', string> = { zanzibar: '', quokka: '', failing: '' };
let worker: WhetstoneWorker | undefined;

test.beforeAll(async () => {
  const wf = stack.ws.workflow({ name: WORKFLOW });
  wf.task({
    name: 'answer',
    fn: (input: unknown) => {
      const { question, fail } = input as { question: string; fail?: boolean };
      if (fail) throw new Error('the model gave up');
      return { reply: `answered: ${question}` };
    },
  });
  worker = stack.ws.worker('e2e-runs-list-worker', { workflows: [wf], handleSignals: false });
  await worker.start();
  const start = async (question: string, customerId: string, fail = false) => {
    const ref = await wf.runNoWait({ question, fail }, { additionalMetadata: { customerId } });
    await ref.result().catch(() => undefined);
    return ref.runId;
  };
  // One after the other: the list is newest first, so the expected order is known.
  runs.zanzibar = await start('zanzibar refund', 'rl-c1');
  runs.quokka = await start('quokka login', 'rl-c2');
  runs.failing = await start('please fail', 'rl-c1', true);
});
test.afterAll(async () => {
  await worker?.stop();
});

const listUrl = (query = '') => `${stack.url}/p/default?workflow=${WORKFLOW}${query}`;
const row = (page: Page, id: string) => page.getByTestId(`run-${id}`);
const rows = (page: Page) => page.getByTestId('runs-table').locator('tbody tr[data-status]');

test('filters by status, with counts per status', async ({ page }) => {
  await openRunsList(page, listUrl());
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByTestId('filter-FAILED').locator('.count')).toHaveText('1');
  await expect(page.getByTestId('filter-SUCCEEDED').locator('.count')).toHaveText('2');

  await page.getByTestId('filter-FAILED').click();
  await expect(page).toHaveURL(/status=FAILED/);
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, runs.failing)).toHaveAttribute('data-status', 'FAILED');
  // Counts ignore the status filter: the other statuses stay one click away.
  await expect(page.getByTestId('filter-SUCCEEDED').locator('.count')).toHaveText('2');
});

test('filters by metadata, typed or clicked on a row', async ({ page }) => {
  await openRunsList(page, listUrl());
  await page.getByTestId('meta-input').fill('customerId=rl-c1');
  await page.getByTestId('meta-input').press('Enter');
  await expect(page).toHaveURL(/meta\.customerId=rl-c1/);
  await expect(rows(page)).toHaveCount(2);
  await expect(row(page, runs.quokka)).toHaveCount(0);
  await expect(page.getByTestId('meta-filter-customerId')).toContainText('customerId=rl-c1');

  await page.getByRole('button', { name: 'Remove filter customerId' }).click();
  await expect(rows(page)).toHaveCount(3);
  await row(page, runs.quokka).getByTestId('meta-customerId').click();
  await expect(page).toHaveURL(/meta\.customerId=rl-c2/);
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, runs.quokka)).toBeVisible();
});

test('searches the text of inputs and outputs', async ({ page }) => {
  await openRunsList(page, listUrl());
  await page.getByTestId('runs-search').fill('quokka');
  await page.getByTestId('runs-search').press('Enter');
  await expect(page).toHaveURL(/q=quokka/);
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, runs.quokka)).toContainText('quokka login');

  // Words of the output count too ("answered: …"), and -word excludes.
  await page.getByTestId('runs-search').fill('answered -quokka');
  await page.getByTestId('runs-search').press('Enter');
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, runs.zanzibar)).toBeVisible();
});

test('the URL reproduces the view after a reload, and back/forward step through filters', async ({ page }) => {
  await openRunsList(page, listUrl('&since=24h&meta.customerId=rl-c1&status=FAILED'));
  await page.reload();
  await expect(page.getByTestId('run-filters')).toHaveAttribute('data-ready', 'true');
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, runs.failing)).toBeVisible();
  await expect(page.getByTestId('filter-FAILED')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('since-24h')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('meta-filter-customerId')).toBeVisible();

  await page.getByTestId('filter-ALL').click();
  await expect(rows(page)).toHaveCount(2);
  await page.goBack();
  await expect(page).toHaveURL(/status=FAILED/);
  await expect(rows(page)).toHaveCount(1);
  await page.goForward();
  await expect(page).not.toHaveURL(/status=FAILED/);
  await expect(rows(page)).toHaveCount(2);
});

test('select two runs, replay them: two new runs appear, marked as replays linking to their sources', async ({ page }) => {
  await openRunsList(page, listUrl());
  await expect(rows(page)).toHaveCount(3);
  await page.getByTestId(`select-${runs.zanzibar}`).check();
  await page.getByTestId(`select-${runs.quokka}`).check();
  await expect(page.getByTestId('bulk-bar')).toContainText('2 selected');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('bulk-replay').click();
  await expect(page.getByTestId('bulk-result')).toContainText('Replayed 2 runs');

  const replays = page.getByTestId('runs-table').locator('tbody tr[data-trigger="REPLAY"]');
  await expect(replays).toHaveCount(2);
  await expect(rows(page)).toHaveCount(5);
  const links = replays.getByTestId('replay-of');
  const targets = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(targets.sort()).toEqual([`/p/default/runs/${runs.zanzibar}`, `/p/default/runs/${runs.quokka}`].sort());
  // The replays run on the worker like any run, with the source's metadata.
  for (const r of await replays.all()) await expect(r).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(replays.getByTestId('meta-customerId')).toHaveCount(2);

  await links.first().click();
  await expect(page).toHaveURL(/\/p\/default\/runs\//);
  await expect(page.getByTestId('run-detail')).toBeVisible();
});
