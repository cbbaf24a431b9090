import { expect, test, type Locator, type Page } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { collectPageErrors, shot, typeInMonaco } from './page-helpers';
import { e2eStack } from './stack';

// The playground page: edit a task's exposed variables in Monaco, re-run it on the real (demo)
// worker, compare outputs with the source run's, reopen earlier runs from the history.

const stack = e2eStack();
const workers: WhetstoneWorker[] = [];
test.afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

interface Ticket {
  customerId: string;
  subject: string;
  body: string;
}

// The demo's offline model quotes the ticket's subject in its reply: markup there must stay text.
// Unquoted, so it reads the same inside the JSON of an object output.
const XSS = '<img src=x onerror=window.__pwned=1>';
const TICKET: Ticket = {
  customerId: 'c-e2e',
  subject: `Charged twice ${XSS}`,
  body: 'My card was charged twice for order #A-20001 this month. Please refund the duplicate charge.',
};

let sourceRunId: string;
test.beforeAll(async () => {
  // ticket-triage is served by the demo worker global-setup started; triggering by name is enough.
  const ref = await stack.ws.workflow<Ticket>({ name: 'ticket-triage' }).runNoWait(TICKET);
  await ref.result();
  sourceRunId = ref.runId;
});

const playgroundUrl = (runId: string, task: string) => `${stack.url}/p/default/runs/${runId}/playground/${encodeURIComponent(task)}`;

/** The body of the next `playground.run` call the page makes (tRPC batch link + superjson). */
async function runRequest(page: Page): Promise<unknown> {
  const request = await page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/trpc/playground.run');
  const body = JSON.parse(request.postData() ?? '{}') as Record<string, { json: unknown }>;
  return body['0']?.json;
}

const output = (column: Locator) => column.getByTestId('variant-result').getByTestId('output');

test('edit the prompt, run the step, and compare the new output with the old one word by word', async ({ page }) => {
  const pageErrors = collectPageErrors(page);
  // Monaco is bundled: no request may leave the machine.
  const outside: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
      outside.push(request.url());
  });
  await page.goto(playgroundUrl(sourceRunId, 'draft-reply'));

  // Header: breadcrumb back to the run, workflow and version, source status.
  await expect(page.getByTestId('breadcrumb-run')).toHaveAttribute('href', `/p/default/runs/${sourceRunId}`);
  await expect(page.getByTestId('playground-meta')).toContainText('ticket-triage');
  await expect(page.getByTestId('playground-meta')).toContainText('Succeeded');
  await expect(page.getByTestId('missing-workers')).toHaveCount(0);

  // The source column: each variable with its call site, default and the value the run used; the old output.
  const source = page.getByTestId('source-column');
  const prompt = source.getByTestId('source-variable-system_prompt');
  await expect(prompt.getByTestId('callsite')).toHaveText(/^examples\/src\/ticket-triage\.ts:\d+:\d+$/);
  await expect(prompt.getByTestId('default-value')).toContainText('You are a friendly support agent');
  await expect(source.getByTestId('source-variable-temperature').getByTestId('default-value')).toHaveText('0.7');
  await expect(source.getByTestId('source-variable-temperature').getByTestId('source-value')).toHaveText('the default');
  const sourceOutput = source.getByTestId('source-result').getByTestId('output');
  await expect(sourceOutput).toContainText('(offline demo model)');
  await expect(source.getByTestId('offline-badge')).toBeVisible();
  // The parent's output (classify) as the source run had it, and the run input.
  await expect(page.getByTestId('parent-classify')).toContainText('"category"');
  await expect(page.getByTestId('input-editor')).toHaveAttribute('data-editor', 'monaco');

  // One variant to start with, holding the source values: strings in a plain-text editor, the rest as JSON.
  const v1 = page.getByTestId('variant-1');
  await expect(page.getByTestId('variant-2')).toHaveCount(0);
  await expect(v1.getByTestId('editor-system_prompt')).toContainText('Sign as Whetstone Support');
  await expect(v1.getByTestId('variable-system_prompt').getByText('edited')).toHaveCount(0);
  await typeInMonaco(
    page,
    v1.getByTestId('editor-system_prompt'),
    'You are a formal and apologetic support agent. Mention the order number. Sign as Ada Lovelace.',
  );
  await expect(v1.getByTestId('variable-system_prompt').getByText('edited')).toBeVisible();

  const sent = runRequest(page);
  await page.getByTestId('run-button').click();
  // Every variable is sent explicitly; the input only when edited.
  expect(await sent).toEqual({
    project: 'default',
    runId: sourceRunId,
    task: 'draft-reply',
    mode: 'STEP',
    variants: [
      {
        overrides: {
          system_prompt: 'You are a formal and apologetic support agent. Mention the order number. Sign as Ada Lovelace.',
          temperature: 0.7,
          model: 'offline-small',
        },
      },
    ],
  });
  await expect(page).toHaveURL(/\?batch=[0-9a-f-]{36}$/);
  await expect(v1.getByTestId('variant-result').getByTestId('output')).toContainText('Ada Lovelace', { timeout: 30_000 });
  await expect(v1.locator('.badge').first()).toHaveText('Succeeded');
  await expect(page.getByTestId('playground')).toHaveAttribute('data-finished', 'true');
  await expect(v1.getByTestId('offline-badge')).toBeVisible();
  await expect(v1.getByTestId('variant-run-link')).toHaveAttribute('href', /^\/p\/default\/runs\/[0-9a-f-]{36}$/);
  await expect(v1.getByTestId('usage')).toContainText('tokens');
  await expect(v1.getByTestId('logs')).toContainText('drafted');

  const before = (await sourceOutput.textContent())!;
  const after = (await output(v1).textContent())!;
  expect(after).not.toBe(before);
  expect(before).toContain('Whetstone Support');
  // The diff: words the new prompt brought in, words it dropped.
  const diff = v1.getByTestId('diff');
  await expect(diff.locator('ins', { hasText: 'Lovelace' })).not.toHaveCount(0);
  await expect(diff.locator('del', { hasText: 'Whetstone' })).not.toHaveCount(0);
  await expect(v1.getByTestId('diff-summary')).toHaveText(/^\+\d+ \/ −\d+ words$/);
  await shot(page, 'playground-one-variant');
  expect(pageErrors).toEqual([]);
  expect(outside).toEqual([]);
});

test('two variants run side by side; the history reopens a batch with its values and results', async ({ page }) => {
  await page.goto(playgroundUrl(sourceRunId, 'draft-reply'));
  const v1 = page.getByTestId('variant-1');
  await typeInMonaco(page, v1.getByTestId('editor-system_prompt'), 'You are a concise support agent. Sign as Grace Hopper.');

  // The new variant copies the last one; then it gets its own prompt and temperature.
  await page.getByTestId('add-variant').click();
  const v2 = page.getByTestId('variant-2');
  await expect(v2.getByTestId('editor-system_prompt')).toContainText('Grace Hopper');
  await typeInMonaco(page, v2.getByTestId('editor-system_prompt'), 'You are a firm and formal support agent. Sign as Alan Turing.');
  await typeInMonaco(page, v2.getByTestId('editor-temperature'), '0');
  await expect(page.getByTestId('run-button')).toHaveText(/Run 2 variants/);
  await page.getByTestId('run-button').click();

  await expect(output(v1)).toContainText('Grace Hopper', { timeout: 30_000 });
  await expect(output(v2)).toContainText('Alan Turing', { timeout: 30_000 });
  await expect(output(v2)).not.toContainText('Grace Hopper');
  // Side by side: the source and both variants on one row, their results at the same height.
  const boxes = await Promise.all(
    ['source-result', 'variant-1', 'variant-2'].map(async (id) => {
      const column = id === 'source-result' ? page.getByTestId(id) : page.getByTestId(id).getByTestId('variant-result');
      return (await column.boundingBox())!;
    }),
  );
  expect(boxes[0]!.x).toBeLessThan(boxes[1]!.x);
  expect(boxes[1]!.x).toBeLessThan(boxes[2]!.x);
  expect(Math.abs(boxes[1]!.y - boxes[2]!.y)).toBeLessThan(2);
  expect(Math.abs(boxes[0]!.y - boxes[1]!.y)).toBeLessThan(2);
  const batchId = new URL(page.url()).searchParams.get('batch')!;
  await shot(page, 'playground-two-variants');

  // A fresh page (no ?batch): one variant with the source values; the history lists the batch.
  await page.goto(playgroundUrl(sourceRunId, 'draft-reply'));
  await expect(page.getByTestId('variant-2')).toHaveCount(0);
  const entry = page.locator(`[data-testid="history-entry"][data-batch="${batchId}"]`);
  await expect(entry.getByTestId('history-variant')).toHaveCount(2);
  await expect(entry).toContainText('Run this step');
  await expect(entry.getByTestId('history-variant').nth(1)).toContainText('temperature = 0');
  await expect(entry.getByTestId('history-variant').nth(1)).toContainText('system_prompt = "You are a firm and formal');
  await expect(entry.getByTestId('history-variant').nth(1)).toContainText('Succeeded');

  await entry.click();
  await expect(page).toHaveURL(new RegExp(`\\?batch=${batchId}$`));
  await expect(entry).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('variant-2').getByTestId('editor-system_prompt')).toContainText('Alan Turing');
  await expect(page.getByTestId('variant-2').getByTestId('editor-temperature')).toContainText('0');
  await expect(page.getByTestId('variant-1').getByTestId('editor-system_prompt')).toContainText('Grace Hopper');
  await expect(output(page.getByTestId('variant-2'))).toContainText('Alan Turing');

  // A reload of that URL reopens it too.
  await page.reload();
  await expect(output(page.getByTestId('variant-1'))).toContainText('Grace Hopper');
  await expect(page.getByTestId('variant-2').getByTestId('editor-system_prompt')).toContainText('Alan Turing');

  // Removing a variant keeps the other's result.
  await page.getByTestId('variant-1').getByTestId('remove-variant').click();
  await expect(page.getByTestId('variant-2')).toHaveCount(0);
  await expect(output(page.getByTestId('variant-1'))).toContainText('Alan Turing');
  await expect(page.getByTestId('variant-1').getByTestId('remove-variant')).toBeDisabled();
});

test('a value of the wrong type or invalid JSON is an inline error and disables the run', async ({ page }) => {
  await page.goto(playgroundUrl(sourceRunId, 'draft-reply'));
  const v1 = page.getByTestId('variant-1');
  const run = page.getByTestId('run-button');
  const temperature = v1.getByTestId('variable-temperature');
  await expect(run).toBeEnabled();

  await typeInMonaco(page, temperature.getByTestId('editor-temperature'), '"hot"');
  await expect(temperature.getByTestId('variable-error')).toHaveText("'temperature' is a number in code; the new value is a string");
  await expect(run).toBeDisabled();
  await expect(page.getByTestId('run-blocked')).toContainText('Fix the errors');
  // Ctrl+Enter does not run it either.
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page).not.toHaveURL(/batch=/);

  await typeInMonaco(page, temperature.getByTestId('editor-temperature'), '0.3,');
  await expect(temperature.getByTestId('variable-error')).toContainText('Invalid JSON');
  await expect(run).toBeDisabled();

  // Reset to default brings the code's value back.
  await temperature.getByTestId('reset-default').click();
  await expect(temperature.getByTestId('variable-error')).toHaveCount(0);
  await expect(temperature.getByTestId('editor-temperature')).toContainText('0.7');
  await expect(run).toBeEnabled();

  // The input is JSON too.
  await typeInMonaco(page, page.getByTestId('input-editor'), '{"customerId": ');
  await expect(page.getByTestId('input-error')).toContainText('Invalid JSON');
  await expect(run).toBeDisabled();
  await shot(page, 'playground-errors');

  // At most six variants.
  for (let i = 0; i < 5; i++) await page.getByTestId('add-variant').click();
  await expect(page.getByTestId('variant-6')).toBeVisible();
  await expect(page.getByTestId('add-variant')).toBeDisabled();
  await expect(run).toHaveText(/Run 6 variants/);
});

test('Ctrl+Enter inside Monaco runs the variants (no new line in the prompt); an edited input is sent', async ({ page }) => {
  await page.goto(playgroundUrl(sourceRunId, 'draft-reply'));
  const v1 = page.getByTestId('variant-1');
  await typeInMonaco(
    page,
    page.getByTestId('input-editor'),
    JSON.stringify({ customerId: 'c-e2e', subject: 'How do I invite a teammate?', body: 'Where do I add a colleague?' }),
  );
  await expect(page.getByTestId('input-error')).toHaveCount(0);
  await typeInMonaco(page, v1.getByTestId('editor-system_prompt'), 'You are a friendly support agent. Sign as Katherine Johnson.');
  const sent = runRequest(page);
  await page.keyboard.press('ControlOrMeta+Enter');
  // Monaco did not see the key (its Ctrl+Enter inserts a line): the prompt is sent as typed.
  expect(await sent).toMatchObject({
    input: { customerId: 'c-e2e', subject: 'How do I invite a teammate?', body: 'Where do I add a colleague?' },
    variants: [{ overrides: { system_prompt: 'You are a friendly support agent. Sign as Katherine Johnson.' } }],
  });

  await expect(page).toHaveURL(/\?batch=[0-9a-f-]{36}$/);
  await expect(output(v1)).toContainText('Katherine Johnson', { timeout: 30_000 });
  await expect(output(v1)).toContainText('How do I invite a teammate');
});

test("outputs with markup render as text: the source's, a variant's and the diff", async ({ page }) => {
  await page.goto(playgroundUrl(sourceRunId, 'draft-reply'));
  const v1 = page.getByTestId('variant-1');
  await expect(page.getByTestId('source-result').getByTestId('output')).toContainText(XSS);
  await typeInMonaco(page, v1.getByTestId('editor-system_prompt'), 'You are a friendly support agent. Sign as <b>Mallory</b>');
  await page.getByTestId('run-button').click();
  await expect(output(v1)).toContainText('<b>Mallory</b>', { timeout: 30_000 });
  await expect(output(v1)).toContainText(XSS);
  await expect(v1.getByTestId('diff')).toContainText('Mallory');
  expect(await page.locator('[data-testid="playground"] img, [data-testid="playground"] b').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('with no live worker the page warns before running and the variant waits for one; "Run from here" names the downstream tasks', async ({
  page,
}) => {
  const makeWorkflow = () => {
    const wf = stack.ws.workflow({ name: 'e2e-playground-noworker' });
    const fetch = wf.task({ name: 'fetch', fn: () => ({ rows: 3 }) });
    const greet = wf.task({
      name: 'greet',
      parents: [fetch],
      fn: (_input, ctx) => ({ text: `${ctx.playground('greeting', 'hello')} world` }),
    });
    wf.task({ name: 'publish', parents: [greet], fn: (_input, ctx) => ctx.parentOutput(greet) });
    return wf;
  };
  const first = stack.ws.worker('e2e-playground-noworker', { workflows: [makeWorkflow()], handleSignals: false });
  await first.start();
  const ref = await makeWorkflow().runNoWait({});
  await ref.result();
  await first.stop();

  await page.goto(playgroundUrl(ref.runId, 'greet'));
  await expect(page.getByTestId('missing-workers')).toHaveText(
    'No live worker runs e2e-playground-noworker:greet, e2e-playground-noworker:publish: the run will wait until one starts.',
  );
  await expect(page.getByTestId('downstream')).toHaveText('then publish');
  await page.getByTestId('mode-from-here').check();
  const v1 = page.getByTestId('variant-1');
  await typeInMonaco(page, v1.getByTestId('editor-greeting'), 'good morning');
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await page.getByTestId('run-button').click();
  await expect(v1.getByTestId('waiting-for-worker')).toHaveText('waiting for a worker');
  await shot(page, 'playground-waiting');

  // A worker starts: the queued variant runs, downstream included.
  const second = stack.ws.worker('e2e-playground-noworker', { workflows: [makeWorkflow()], handleSignals: false });
  workers.push(second);
  await second.start();
  await expect(output(v1)).toContainText('good morning world', { timeout: 30_000 });
  await expect(v1.getByTestId('waiting-for-worker')).toHaveCount(0);
  const history = page.getByTestId('history-entry').first();
  await expect(history).toContainText('Run from here');
  await expect(history).toContainText('greeting = "good morning"');
});

test('a newer workflow version is named; a variable the current code dropped is stale: shown, not sent', async ({ page }) => {
  const name = 'e2e-playground-versions';
  const first = stack.ws.workflow({ name });
  first.task({ name: 'echo', fn: (_input, ctx) => ({ text: `${ctx.playground('prefix', '>')} hi` }) });
  const oldWorker = stack.ws.worker(name, { workflows: [first], handleSignals: false });
  await oldWorker.start();
  const source = await first.runNoWait({});
  await source.result();
  await oldWorker.stop();
  // Version 2: other options, and the task now reads 'suffix' instead of 'prefix'.
  const second = stack.ws.workflow({ name });
  second.task({ name: 'echo', retries: 1, fn: (_input, ctx) => ({ text: `hi ${ctx.playground('suffix', '!')}` }) });
  const newWorker = stack.ws.worker(name, { workflows: [second], handleSignals: false });
  workers.push(newWorker);
  await newWorker.start();
  await (await second.runNoWait({})).result();

  await page.goto(playgroundUrl(source.runId, 'echo'));
  await expect(page.getByTestId('version-notice')).toContainText('latest version is v2; this run used v1');
  await expect(page.getByTestId('source-variable-prefix').getByTestId('stale-badge')).toBeVisible();
  await expect(page.getByTestId('source-variable-suffix').getByTestId('stale-badge')).toHaveCount(0);
  await expect(page.getByTestId('source-variable-suffix')).toContainText('not reported by the source run');
  const v1 = page.getByTestId('variant-1');
  await expect(v1.getByTestId('variable-prefix')).toContainText('not sent');
  await expect(v1.getByTestId('editor-prefix')).toHaveCount(0);
  await typeInMonaco(page, v1.getByTestId('editor-suffix'), '?!');
  const sent = runRequest(page);
  await page.getByTestId('run-button').click();
  expect(await sent).toMatchObject({ variants: [{ overrides: { suffix: '?!' } }] });
  expect(((await sent) as { variants: Array<{ overrides: object }> }).variants[0]!.overrides).not.toHaveProperty('prefix');
  await expect(output(v1)).toContainText('hi ?!');
});

test("the server's refusal is shown: a task whose parent failed cannot be re-run", async ({ page }) => {
  const wf = stack.ws.workflow({ name: 'e2e-playground-broken' });
  const load = wf.task({
    name: 'load',
    fn: () => {
      throw new Error('source unavailable');
    },
  });
  wf.task({ name: 'summarize', parents: [load], fn: (_input, ctx) => ({ summary: ctx.playground('style', 'short') }) });
  const worker = stack.ws.worker('e2e-playground-broken', { workflows: [wf], handleSignals: false });
  workers.push(worker);
  await worker.start();
  const ref = await wf.runNoWait({});
  await expect(ref.result()).rejects.toThrow();

  await page.goto(playgroundUrl(ref.runId, 'summarize'));
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-error')).toContainText(
    `Task 'summarize' needs the output of 'load', which did not succeed in run ${ref.runId}`,
  );
  await expect(page.getByTestId('run-error')).toHaveAttribute('role', 'alert');
});

test('an unknown run or task is a 404', async ({ page }) => {
  expect((await page.goto(playgroundUrl(sourceRunId, 'no-such-task')))?.status()).toBe(404);
  expect((await page.goto(playgroundUrl('0190a8f0-0000-7000-8000-000000000000', 'draft-reply')))?.status()).toBe(404);
  expect((await page.goto(playgroundUrl('not-a-run', 'draft-reply')))?.status()).toBe(404);
});
