import { expect, test, type Page } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { z } from 'zod';
import { shot } from './page-helpers';
import { e2eStack } from './stack';

// The Workflows pages: the demo workflows with their versions and DAG, and "Trigger run" with the
// input typed into Monaco (bundled: no request may leave the machine).

const stack = e2eStack();
const WORKFLOW = 'e2e-workflows-greet';
let worker: WhetstoneWorker;

test.beforeAll(async () => {
  const greet = stack.ws.workflow({
    name: WORKFLOW,
    description: 'Greets someone (e2e)',
    inputValidator: z.object({ name: z.string().min(1), times: z.number().int().min(1).max(3).optional() }),
    on: { event: 'e2e-workflows:*' },
  });
  const hello = greet.task({
    name: 'hello',
    retries: 2,
    backoff: { factor: 2, maxSeconds: 30 },
    executionTimeout: '15s',
    fn: (input: { name: string }) => ({ text: `Hello ${input.name}` }),
  });
  greet.task({
    name: 'shout',
    parents: [hello],
    fn: (_input, ctx) => ({ text: ctx.parentOutput(hello).text.toUpperCase(), meta: ctx.additionalMetadata }),
  });
  worker = stack.ws.worker('e2e-workflows-worker', { workflows: [greet], handleSignals: false });
  await worker.start();
});
test.afterAll(async () => worker?.stop());

/** Every request the page makes to a host other than this machine (Monaco's loader defaults to a CDN). */
function recordOutsideRequests(page: Page): string[] {
  const outside: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return; // data:, blob: stay in the page
    if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) outside.push(request.url());
  });
  return outside;
}

/** Replaces the Monaco editor's content as typed text (insertText: no auto-closed brackets). */
async function typeInMonaco(page: Page, text: string) {
  const editor = page.getByTestId('trigger-input');
  await expect(editor).toHaveAttribute('data-editor', 'monaco');
  await editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

test('the list shows the demo workflows with versions; a workflow page shows its DAG, task options and versions', async ({ page }) => {
  const outside = recordOutsideRequests(page);
  await page.goto(`${stack.url}/p/default`);
  await page.getByTestId('nav-workflows').click();
  await expect(page).toHaveURL(`${stack.url}/p/default/workflows`);
  for (const name of ['support-reply', 'lowercase']) {
    await expect(page.getByTestId(`workflow-${name}`)).toBeVisible();
    await expect(page.getByTestId(`workflow-${name}-version`)).toContainText(/v\d+/);
  }
  await expect(page.getByTestId('workflow-support-reply')).toContainText('Draft and review a reply');
  await shot(page, 'workflows-list');

  await page.getByTestId('workflow-support-reply').getByRole('link', { name: 'support-reply' }).click();
  await expect(page).toHaveURL(`${stack.url}/p/default/workflows/support-reply`);
  for (const task of ['classify', 'lookup-customer', 'draft', 'review']) {
    await expect(page.getByTestId(`dag-node-${task}`)).toBeVisible();
    await expect(page.getByTestId(`task-options-${task}`)).toBeVisible();
  }
  await expect(page.getByTestId('task-options-draft')).toContainText('classify, lookup-customer');
  await shot(page, 'workflow-support-reply');
  await expect(page.getByTestId('workflow-versions').getByTestId('workflow-version-1')).toContainText('4');
  await expect(page.getByTestId('workflow-recent-runs').locator('tr')).not.toHaveCount(0);

  await page.goto(`${stack.url}/p/default/workflows/${WORKFLOW}`);
  await expect(page.getByTestId('task-options-hello')).toContainText('2^n s, max 30 s');
  await expect(page.getByTestId('task-options-hello')).toContainText('15s');
  await expect(page.getByTestId('workflow-triggers').getByRole('link', { name: 'e2e-workflows:*' })).toHaveAttribute(
    'href',
    '/p/default/events?key=e2e-workflows%3A&match=prefix',
  );
  await expect(page.getByTestId('workflow-input-schema')).toContainText('"name"');

  expect(await page.goto(`${stack.url}/p/default/workflows/no-such-workflow`).then((r) => r?.status())).toBe(404);
  expect(outside).toEqual([]);
});

test('Trigger run: invalid JSON and input the schema refuses show inline errors and cannot be sent; valid input starts a run and opens it', async ({
  page,
}) => {
  const outside = recordOutsideRequests(page);
  const triggers: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/trpc/workflows.trigger')) triggers.push(r.url());
  });
  await page.goto(`${stack.url}/p/default/workflows/${WORKFLOW}`);
  const submit = page.getByTestId('trigger-submit');
  const error = page.getByTestId('trigger-input-error');

  // Monaco, not the fallback, with a starting value built from the schema: name is required and must not be empty.
  await expect(page.getByTestId('trigger-input').locator('.monaco-editor')).toBeVisible();
  await expect(error).toContainText('name');
  await expect(submit).toBeDisabled();

  await typeInMonaco(page, '{"name": "Ada", ');
  await expect(error).toContainText('Invalid JSON');
  await expect(submit).toBeDisabled();

  await typeInMonaco(page, '{"name": "Ada", "times": 7}');
  await expect(error).toContainText("Does not match the workflow's input schema");
  await expect(error).toContainText('times');
  await shot(page, 'workflow-trigger-invalid');
  await expect(submit).toBeDisabled();
  // Enter in the form does not send it either.
  await page.getByTestId('trigger-add-metadata').click();
  await page.getByTestId('trigger-metadata-key-0').press('Enter');
  expect(triggers).toEqual([]);

  await typeInMonaco(page, '{"name": "Ada <b>Lovelace</b>", "times": 2}');
  await expect(error).toHaveCount(0);
  await page.getByTestId('trigger-metadata-key-0').fill('source');
  await page.getByTestId('trigger-metadata-value-0').fill('e2e-dashboard');
  await page.getByTestId('trigger-priority').selectOption('3');
  await expect(submit).toBeEnabled();
  await submit.click();

  await expect(page).toHaveURL(new RegExp(`/p/default/runs/[0-9a-f-]{36}$`));
  const runId = page.url().split('/').pop()!;
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'SUCCEEDED');
  const run = await stack.ws.waitForRun(runId);
  expect(run).toMatchObject({
    workflow: WORKFLOW,
    status: 'SUCCEEDED',
    output: { shout: { text: 'HELLO ADA <B>LOVELACE</B>', meta: { source: 'e2e-dashboard' } } },
  });
  expect(triggers).toHaveLength(1);

  // The run shows up in the workflow's recent runs, triggered from the dashboard.
  await page.goto(`${stack.url}/p/default/workflows/${WORKFLOW}`);
  await expect(page.getByTestId(`workflow-run-${runId}`)).toContainText('dashboard');
  expect(outside).toEqual([]);
});
