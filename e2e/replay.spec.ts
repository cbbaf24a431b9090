import { expect, test, type Page } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { z } from 'zod';
import { openRunsList, shot, typeInMonaco } from './page-helpers';
import { e2eStack } from './stack';

// Replay with an edited input from the run page (Monaco), and "Replay all matching" on the runs list.

const stack = e2eStack();
const workers: WhetstoneWorker[] = [];
test.afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

/** The id of the demo's ticket-triage run (global-setup) whose input contains `text`. */
async function demoTriageRun(page: Page, text: string): Promise<string> {
  await page.goto(`${stack.url}/p/default?workflow=ticket-triage&trigger=API`);
  const row = page.getByTestId('runs-table').locator('tbody tr[data-status]').filter({ hasText: text }).first();
  await expect(row).toBeVisible();
  return (await row.getAttribute('data-testid'))!.replace(/^run-/, '');
}

test('replay a demo ticket-triage run with the ticket edited in Monaco: the new run has that input, links to its source and completes', async ({
  page,
}) => {
  const sourceId = await demoTriageRun(page, 'How do I invite a teammate?');
  await page.goto(`${stack.url}/p/default/runs/${sourceId}`);
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'SUCCEEDED');

  await page.getByTestId('replay-run').click();
  const dialog = page.getByTestId('replay-dialog');
  const editor = dialog.getByTestId('replay-input');
  // Prefilled with the run's input.
  await expect(editor.locator('.monaco-editor .view-lines')).toContainText('How do I invite a teammate?');

  // Not JSON: said inline, and nothing can be sent.
  await typeInMonaco(page, editor, '{"customerId": "c17", ');
  await expect(dialog.getByTestId('replay-input-error')).toContainText('Invalid JSON');
  await expect(dialog.getByTestId('replay-submit')).toBeDisabled();

  const edited = {
    customerId: 'c17',
    subject: 'Invite <b>Zebulon</b> to our workspace',
    body: 'How do I add my colleague Zebulon so he can see our runs?',
  };
  await typeInMonaco(page, editor, JSON.stringify(edited));
  await expect(dialog.getByTestId('replay-input-error')).toHaveCount(0);
  await shot(page, 'replay-dialog');
  await dialog.getByTestId('replay-submit').click();

  // Lands on the new run: its input, "replay of" the source, and it runs to the end on the demo worker.
  await expect(page).not.toHaveURL(new RegExp(`/runs/${sourceId}`));
  await expect(page).toHaveURL(/\/p\/default\/runs\/[0-9a-f-]{36}$/);
  const replayId = page.url().split('/').pop()!;
  await expect(page.getByTestId('run-input')).toContainText('Invite <b>Zebulon</b> to our workspace');
  await expect(page.getByTestId('run-trigger')).toHaveAttribute('data-source', 'REPLAY');
  const replayOf = page.getByTestId('run-trigger').getByTestId('trigger-replay-of');
  await expect(replayOf).toHaveAttribute('href', `/p/default/runs/${sourceId}`);
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 });
  await expect(page.getByTestId('output-draft-reply')).toContainText('Zebulon');
  expect(await page.locator('[data-testid="run-detail"] b').count()).toBe(0);

  // The source lists it.
  await replayOf.click();
  await expect(page.getByTestId('run-replays').getByTestId(`replay-${replayId}`)).toBeVisible();
});

test('an input the workflow’s schema refuses: the server’s error is shown in the dialog and no run starts', async ({ page }) => {
  const wf = stack.ws.workflow({ name: 'e2e-replay-schema', inputValidator: z.object({ name: z.string().min(1) }) });
  wf.task({ name: 'greet', fn: (input: { name: string }) => `hello ${input.name}` });
  const worker = stack.ws.worker('e2e-replay-schema', { workflows: [wf], handleSignals: false });
  workers.push(worker);
  await worker.start();
  const source = await wf.runNoWait({ name: 'Ada' });
  await source.result();

  await page.goto(`${stack.url}/p/default/runs/${source.runId}`);
  await page.getByTestId('replay-run').click();
  const dialog = page.getByTestId('replay-dialog');
  await typeInMonaco(page, dialog.getByTestId('replay-input'), '{"name": 42}');
  await dialog.getByTestId('replay-submit').click();
  await expect(dialog.getByTestId('replay-error')).toContainText('Could not replay');
  await expect(dialog.getByTestId('replay-error')).toContainText('name');
  await expect(page).toHaveURL(new RegExp(`/runs/${source.runId}$`));
  await shot(page, 'replay-dialog-refused');

  // Cancel closes the dialog; the source has no replay.
  await dialog.getByTestId('replay-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('run-replays')).toHaveCount(0);
});

test('runs list: "Replay all matching" asks with the count, then replays exactly the runs the filters show', async ({ page }) => {
  const wf = stack.ws.workflow<{ n: number }>({ name: 'e2e-replay-matching' });
  wf.task({ name: 'echo', fn: (input) => ({ n: input.n }) });
  const worker = stack.ws.worker('e2e-replay-matching', { workflows: [wf], handleSignals: false });
  workers.push(worker);
  await worker.start();
  for (const [n, group] of [
    [1, 'keep'],
    [2, 'keep'],
    [3, 'other'],
  ] as const) {
    await (await wf.runNoWait({ n }, { additionalMetadata: { group } })).result();
  }

  await openRunsList(page, `${stack.url}/p/default?workflow=e2e-replay-matching&meta.group=keep`);
  const rows = page.getByTestId('runs-table').locator('tbody tr[data-status]');
  await expect(rows).toHaveCount(2);
  const button = page.getByTestId('replay-matching');
  await expect(button).toHaveText('Replay all matching (2)…');

  let question = '';
  page.once('dialog', (dialog) => {
    question = dialog.message();
    void dialog.accept();
  });
  await button.click();
  await expect(page.getByTestId('bulk-result')).toContainText('Replayed 2 matching runs');
  expect(question).toMatch(/^Replay 2 matching runs\?/);

  // The replays carry the source's metadata, so they match the same filters: 4 rows, 2 of them replays that finish.
  const replays = page.getByTestId('runs-table').locator('tbody tr[data-trigger="REPLAY"]');
  await expect(replays).toHaveCount(2);
  await expect(rows).toHaveCount(4);
  for (const r of await replays.all()) await expect(r).toHaveAttribute('data-status', 'SUCCEEDED');
  // The run outside the filters was not replayed.
  await page.goto(`${stack.url}/p/default?workflow=e2e-replay-matching&trigger=REPLAY`);
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: '"n": 1' })).toHaveCount(1);
  await expect(rows.filter({ hasText: '"n": 3' })).toHaveCount(0);
});
