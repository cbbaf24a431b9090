import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { openRunsList, shot } from './page-helpers';
import { e2eStack } from './stack';

// The run page: DAG graph, attempt timeline, task selection, escaped errors, trigger links.

const stack = e2eStack();
const workers: WhetstoneWorker[] = [];
test.afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

/** The 1-based line of the demo's source holding `fragment` (call sites are recorded as file:line:column). */
function demoLine(fragment: string): number {
  const lines = readFileSync(new URL('../examples/src/ticket-triage.ts', import.meta.url), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(fragment));
  expect(index, fragment).toBeGreaterThanOrEqual(0);
  return index + 1;
}

const ERROR = 'first try <b>broke</b> <img src=x onerror="window.__pwned=1">';

function retryDag() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const wf = stack.ws.workflow({ name: 'e2e-detail-dag' });
  const fetch = wf.task({ name: 'fetch', fn: () => ({ rows: 3 }) });
  const flaky = wf.task({
    name: 'flaky',
    parents: [fetch],
    retries: 1,
    fn: (_input, ctx) => {
      ctx.log(`attempt ${ctx.attempt} starts`);
      if (ctx.attempt === 1) throw new Error(ERROR);
      return { ok: true };
    },
  });
  const side = wf.task({ name: 'side', fn: () => 'side done' });
  wf.task({ name: 'summarize', parents: [flaky, side], fn: async () => (await gate, { summary: 'done' }) });
  return { wf, release };
}

test('the graph and the timeline show every task and attempt, live; clicking a node selects its task', async ({ page }) => {
  const { wf, release } = retryDag();
  const worker = stack.ws.worker('e2e-detail-dag', { workflows: [wf], handleSignals: false });
  workers.push(worker);
  await worker.start();
  const ref = await wf.runNoWait({}, { additionalMetadata: { customer: 'c-42', note: '<i>vip</i>' } });

  // A running run renders on the server and hydrates in the browser with a later clock: no mismatch allowed.
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${stack.url}/p/default/runs/${ref.runId}`);
  // Every node, coloured by status, while summarize is still waiting for the gate.
  const node = (name: string) => page.getByTestId(`graph-node-${name}`);
  await expect(node('summarize')).toHaveAttribute('data-status', 'RUNNING');
  for (const name of ['fetch', 'flaky', 'side']) {
    await expect(node(name)).toHaveAttribute('data-status', 'SUCCEEDED');
    await expect(node(name)).toHaveClass(/status-succeeded/);
  }
  await expect(node('flaky')).toContainText('2 attempts');
  // Edges drawn by xyflow between parents and children (fetch→flaky, flaky→summarize, side→summarize).
  await expect(page.locator('[data-testid="task-graph"] .react-flow__edge')).toHaveCount(3);

  // Live: the graph follows the run without a reload.
  release();
  await expect(node('summarize')).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'SUCCEEDED');

  // Clicking a node selects its task panel.
  await expect(page.getByTestId('task-flaky')).not.toHaveAttribute('data-selected', 'true');
  await node('flaky').click();
  await expect(page.getByTestId('task-flaky')).toHaveAttribute('data-selected', 'true');
  await expect(node('flaky')).toHaveAttribute('data-selected', 'true');
  await expect(page).toHaveURL(/#task-flaky$/);
  await expect(page.getByTestId('task-flaky')).toBeInViewport();

  // Timeline: two bars for the retried task (failed, then succeeded), one for the others.
  const flakyRow = page.getByTestId('timeline-row-flaky');
  await expect(flakyRow.locator('[data-testid^="timeline-bar-"]')).toHaveCount(2);
  await expect(flakyRow.getByTestId('timeline-bar-flaky-1')).toHaveAttribute('data-status', 'FAILED');
  await expect(flakyRow.getByTestId('timeline-bar-flaky-2')).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(flakyRow.getByTestId('timeline-bar-flaky-1')).toHaveAttribute('title', new RegExp(`error: Error: ${escapeRegExp(ERROR)}`));
  await expect(page.getByTestId('timeline-row-fetch').locator('[data-testid^="timeline-bar-"]')).toHaveCount(1);
  // A timeline row selects its task too.
  await page.getByTestId('timeline-row-side').getByRole('button', { name: 'side', exact: true }).click();
  await expect(page.getByTestId('task-side')).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId('task-flaky')).not.toHaveAttribute('data-selected', 'true');

  // The error of attempt 1 (cleared from the task once attempt 2 succeeded) is in the attempts table, as text.
  const attempt1 = page.getByTestId('attempt-list-flaky-1');
  await expect(attempt1).toContainText('Failed');
  await expect(attempt1).toContainText(ERROR);
  await attempt1.locator('summary').click();
  await expect(page.getByTestId('attempt-list-flaky-1-error')).toContainText(/at .*run-detail\.spec\.ts/);
  await expect(page.getByTestId('attempt-list-flaky-2')).toContainText('Succeeded');
  expect(await page.locator('[data-testid="run-detail"] b, [data-testid="run-detail"] img, [data-testid="run-detail"] i').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // Logs per attempt.
  const logs = page.getByTestId('logs-flaky');
  await expect(logs).toContainText('attempt 1 starts');
  await logs.getByTestId('logs-flaky-attempt-2').click();
  await expect(logs).toContainText('attempt 2 starts');
  await expect(logs).not.toContainText('attempt 1 starts');

  // Trigger and metadata chips (as text).
  const trigger = page.getByTestId('run-trigger');
  await expect(trigger).toHaveAttribute('data-source', 'API');
  await expect(trigger.getByTestId('metadata-chip')).toHaveText(['customerc-42', 'note<i>vip</i>']);
  expect(pageErrors).toEqual([]);
});

test('a timed-out attempt is its own bar; the retry that failed too ends the run FAILED in the graph', async ({ page }) => {
  const wf = stack.ws.workflow({ name: 'e2e-detail-timeout' });
  wf.task({
    name: 'slow',
    retries: 1,
    executionTimeout: '1s',
    fn: async (_input, ctx) => {
      if (ctx.attempt === 1) await new Promise((resolve) => setTimeout(resolve, 3_000));
      throw new Error('second attempt fails fast');
    },
  });
  const worker = stack.ws.worker('e2e-detail-timeout', { workflows: [wf], handleSignals: false });
  workers.push(worker);
  await worker.start();
  const ref = await wf.runNoWait({});
  await expect(ref.result()).rejects.toThrow();

  await page.goto(`${stack.url}/p/default/runs/${ref.runId}`);
  await expect(page.getByTestId('graph-node-slow')).toHaveAttribute('data-status', 'FAILED');
  await expect(page.getByTestId('graph-node-slow')).toHaveClass(/status-failed/);
  await expect(page.getByTestId('timeline-bar-slow-1')).toHaveAttribute('data-status', 'TIMED_OUT');
  await expect(page.getByTestId('timeline-bar-slow-1')).toHaveClass(/status-timed_out/);
  await expect(page.getByTestId('timeline-bar-slow-2')).toHaveAttribute('data-status', 'FAILED');
  await expect(page.getByTestId('task-slow').getByTestId('error-slow')).toContainText('second attempt fails fast');
});

test('an event-triggered run links to its event', async ({ page }) => {
  const wf = stack.ws.workflow<{ n: number }>({ name: 'e2e-detail-event', on: { event: 'e2e-detail:*' } });
  wf.task({ name: 'handle', fn: (input) => ({ doubled: input.n * 2 }) });
  const worker = stack.ws.worker('e2e-detail-event', { workflows: [wf], handleSignals: false });
  workers.push(worker);
  await worker.start();
  const { eventId, runIds } = await stack.ws.events.push('e2e-detail:created', { n: 21 }, { additionalMetadata: { origin: 'e2e' } });
  expect(runIds).toHaveLength(1);
  await stack.ws.waitForRun(runIds[0]!);

  await page.goto(`${stack.url}/p/default/runs/${runIds[0]}`);
  const trigger = page.getByTestId('run-trigger');
  await expect(trigger).toHaveAttribute('data-source', 'EVENT');
  const link = trigger.getByTestId('trigger-event');
  await expect(link).toContainText('e2e-detail:created');
  await expect(link).toHaveAttribute('href', `/p/default/events?id=${eventId}`);
  await expect(trigger.getByTestId('metadata-chip')).toHaveText(['origine2e']);
  await expect(page.getByTestId('graph-node-handle')).toHaveAttribute('data-status', 'SUCCEEDED');
});

test('a replayed run links to its source, and the source lists it', async ({ page, request }) => {
  const wf = stack.ws.workflow({ name: 'e2e-detail-replay' });
  wf.task({ name: 'only', fn: () => 'ok' });
  const worker = stack.ws.worker('e2e-detail-replay', { workflows: [wf], handleSignals: false });
  workers.push(worker);
  await worker.start();
  const source = await wf.runNoWait({});
  await source.result();

  const res = await request.post(`${stack.url}/api/v1/runs/${source.runId}/replay`, {
    headers: { authorization: `Bearer ${stack.apiKey}` },
    data: {},
  });
  // The replay endpoint belongs to another feature; until it exists this test has nothing to check.
  test.skip(res.status() === 404 || res.status() === 405, `POST /api/v1/runs/:id/replay is not available (HTTP ${res.status()})`);
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { runId?: string; id?: string };
  const replayId = body.runId ?? body.id;
  expect(replayId).toBeTruthy();

  await page.goto(`${stack.url}/p/default/runs/${replayId}`);
  const replayOf = page.getByTestId('run-trigger').getByTestId('trigger-replay-of');
  await expect(replayOf).toHaveAttribute('href', `/p/default/runs/${source.runId}`);
  await replayOf.click();
  await expect(page).toHaveURL(new RegExp(`/runs/${source.runId}`));
  await expect(page.getByTestId('run-replays').getByTestId(`replay-${replayId}`)).toBeVisible();
});

/** A demo ticket-triage run (global-setup) whose input contains `text`. */
async function demoTriageRun(page: Page, text: string): Promise<string> {
  await page.goto(`${stack.url}/p/default?workflow=ticket-triage&trigger=API`);
  const row = page.getByTestId('runs-table').locator('tbody tr[data-status]').filter({ hasText: text }).first();
  await expect(row).toBeVisible();
  return (await row.getAttribute('data-testid'))!.replace(/^run-/, '');
}

test('a demo run shows the playground variables draft-reply used, with their call site, and links each task to its playground', async ({
  page,
}) => {
  const runId = await demoTriageRun(page, 'Charged twice for order #A-10423');
  await page.goto(`${stack.url}/p/default/runs/${runId}`);
  const draft = page.getByTestId('task-draft-reply');
  const variables = draft.getByTestId('variables-draft-reply');
  await expect(variables).toContainText('Playground variables');
  const prompt = variables.getByTestId('variable-draft-reply-system_prompt');
  await expect(prompt.getByTestId('variable-value')).toContainText('You are a friendly support agent for Whetstone.');
  // The call spans lines: `ctx.playground(` stands on the line above its first argument.
  const promptLine = demoLine("'system_prompt',");
  await expect(prompt.getByTestId('variable-callsite')).toHaveText(
    new RegExp(`^examples/src/ticket-triage\\.ts:(${promptLine - 1}|${promptLine}):\\d+$`),
  );
  const temperature = variables.getByTestId('variable-draft-reply-temperature');
  await expect(temperature.getByTestId('variable-value')).toHaveText('0.7');
  await expect(temperature.getByTestId('variable-callsite')).toHaveText(
    new RegExp(`^examples/src/ticket-triage\\.ts:${demoLine("ctx.playground('temperature'")}:\\d+$`),
  );
  // A normal run uses the defaults: nothing is marked overridden.
  await expect(variables.getByTestId('variable-overridden')).toHaveCount(0);
  await expect(variables.getByTestId('variable-draft-reply-model')).toContainText('offline-small');

  await expect(draft.getByTestId('open-playground-draft-reply')).toHaveAttribute('href', `/p/default/runs/${runId}/playground/draft-reply`);
  await expect(page.getByTestId('open-playground-classify')).toHaveAttribute('href', `/p/default/runs/${runId}/playground/classify`);
  await shot(page, 'run-detail-variables');
});

test('a playground run: its origin, the overridden value with its default, frozen tasks marked and off the timeline; the source lists it', async ({
  page,
}) => {
  const sourceId = await demoTriageRun(page, 'REFUND NOW');
  // Started the way the playground page does: tRPC playground.run as the signed-in owner.
  const res = await page.request.post(`${stack.url}/api/trpc/playground.run`, {
    headers: { origin: stack.url },
    data: {
      json: { project: 'default', runId: sourceId, task: 'draft-reply', mode: 'STEP', variants: [{ overrides: { temperature: 0.1 } }] },
    },
  });
  expect(res.ok(), await res.text()).toBe(true);
  const { batchId, runs } = ((await res.json()) as { result: { data: { json: { batchId: string; runs: Array<{ runId: string }> } } } })
    .result.data.json;
  const runId = runs[0]!.runId;
  await stack.ws.waitForRun(runId);

  await page.goto(`${stack.url}/p/default/runs/${runId}`);
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'SUCCEEDED');
  const trigger = page.getByTestId('run-trigger');
  await expect(trigger).toHaveAttribute('data-source', 'PLAYGROUND');
  await expect(trigger.getByTestId('trigger-playground')).toContainText('task draft-reply · this step only · variant 1');
  await expect(trigger.getByTestId('trigger-playground-source')).toHaveAttribute('href', `/p/default/runs/${sourceId}`);
  await expect(trigger.getByTestId('trigger-playground-batch')).toHaveAttribute(
    'href',
    `/p/default/runs/${sourceId}/playground/draft-reply?batch=${batchId}`,
  );

  // classify and tone-check were copied from the source (STEP re-runs draft-reply only): marked, dimmed, not on the timeline.
  for (const name of ['classify', 'tone-check']) {
    await expect(page.getByTestId(`frozen-${name}`)).toHaveText('from source run');
    await expect(page.getByTestId(`frozen-note-${name}`)).toContainText('Not executed in this playground run');
    await expect(page.getByTestId(`graph-node-${name}`)).toHaveAttribute('data-dimmed', 'true');
    await expect(page.getByTestId(`timeline-row-${name}`)).toHaveCount(0);
    await expect(page.getByTestId(`attempts-${name}`)).toHaveCount(0);
  }
  await expect(page.getByTestId('timeline-row-draft-reply')).toBeVisible();
  await expect(page.getByTestId('graph-node-draft-reply')).not.toHaveAttribute('data-dimmed', 'true');
  const temperature = page.getByTestId('variable-draft-reply-temperature');
  await expect(temperature).toHaveAttribute('data-overridden', 'true');
  await expect(temperature.getByTestId('variable-value')).toHaveText('0.1');
  await expect(temperature.getByTestId('variable-default')).toHaveText('0.7');
  await shot(page, 'run-detail-playground-run');

  await page.goto(`${stack.url}/p/default/runs/${sourceId}`);
  const playgroundRuns = page.getByTestId('run-playground-runs');
  await expect(playgroundRuns).toContainText(/Playground runs: [1-9]/);
  await expect(playgroundRuns.getByTestId('playground-task-draft-reply')).toHaveAttribute(
    'href',
    `/p/default/runs/${sourceId}/playground/draft-reply`,
  );
  await shot(page, 'run-detail-playground-source');

  // Experiments stay out of the runs list unless asked for.
  await openRunsList(page, `${stack.url}/p/default?workflow=ticket-triage`);
  await expect(page.getByTestId('runs-table').locator('tbody tr[data-status]').first()).toBeVisible();
  await expect(page.getByTestId(`run-${runId}`)).toHaveCount(0);
  await page.getByTestId('trigger-filter').selectOption('PLAYGROUND');
  await expect(page).toHaveURL(/trigger=PLAYGROUND/);
  await expect(page.getByTestId(`run-${runId}`)).toHaveAttribute('data-trigger', 'PLAYGROUND');
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
