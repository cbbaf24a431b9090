import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { fakeLlm } from '../examples/src/fake-llm';
import { formatTokens, formatUsd } from '../src/app/p/[project]/usage/_components/usage-format';
import { priceUsage } from '../src/server/engine/usage';
import { e2eStack } from './stack';
import { openFirstRun } from './page-helpers';

const stack = e2eStack();
const name = `e2e-usage-${randomBytes(3).toString('hex')}`;
let worker: WhetstoneWorker | undefined;
let runId: string;

const priced = (model: string, inputTokens: number, outputTokens: number) =>
  priceUsage({ model, inputTokens, outputTokens }, new Date()).costUsd!;
// draft: a priced model and a reported cost; check: a model the price table does not know.
const draftCost = priced('gpt-4o-mini', 1000, 200) + 0.0125;

test.beforeAll(async () => {
  const wf = stack.ws.workflow({ name });
  const draft = wf.task({
    name: 'draft',
    fn: (_input, ctx) => {
      ctx.usage({ model: 'gpt-4o-mini', provider: 'openai', inputTokens: 1000, outputTokens: 200 });
      ctx.usage({ model: 'claude-3-5-haiku-latest', inputTokens: 3000, outputTokens: 1000, costUsd: 0.0125 });
      return { text: 'draft' };
    },
  });
  wf.task({
    name: 'check',
    parents: [draft],
    fn: (_input, ctx) => {
      ctx.usage({ model: 'in-house-judge', inputTokens: 50, outputTokens: 5 });
      return { ok: true };
    },
  });
  worker = stack.ws.worker(name, { workflows: [wf], handleSignals: false });
  await worker.start();
  const ref = await wf.runNoWait({});
  await ref.result();
  runId = ref.runId;
});
test.afterAll(async () => {
  await worker?.stop();
});

test('the run page shows usage per task and the run total', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/runs/${runId}`);
  const usage = page.getByTestId('run-usage');
  await expect(usage).toBeVisible();

  const draft = usage.getByTestId('usage-task-draft');
  await expect(draft).toContainText('2 models');
  await expect(draft).toContainText(formatTokens(4000));
  await expect(draft).toContainText(formatUsd(draftCost));
  const models = usage.getByTestId('usage-model-draft');
  await expect(models).toHaveCount(2);
  await expect(models.filter({ hasText: 'claude-3-5-haiku-latest' })).toContainText('$0.0125');
  await expect(models.filter({ hasText: 'gpt-4o-mini' })).toContainText(formatUsd(priced('gpt-4o-mini', 1000, 200)));

  const check = usage.getByTestId('usage-task-check');
  await expect(check).toContainText('in-house-judge');
  await expect(check).toContainText('unknown price');

  const total = usage.getByTestId('run-usage-total');
  await expect(total).toContainText('3'); // calls
  await expect(total).toContainText(formatTokens(4050));
  await expect(usage.getByTestId('run-usage-total-cost')).toContainText(`${formatUsd(draftCost)} + unknown`);
  await expect(usage.getByTestId('run-usage-total-cost')).toContainText('in-house-judge');
});

test('the LLM usage page shows totals per workflow and per task, for the range in the URL', async ({ page }) => {
  await page.goto(`${stack.url}/p/default`);
  await page.getByTestId('nav-usage').click();
  await expect(page).toHaveURL(/\/p\/default\/usage$/);
  await expect(page.getByTestId('usage-range-7d')).toHaveAttribute('aria-current', 'true');

  const row = page.getByTestId(`usage-workflow-${name}`);
  await expect(row.locator('td').nth(1)).toHaveText('1'); // runs with usage
  await expect(row.locator('td').nth(2)).toHaveText('3'); // calls
  await expect(row.locator('td').nth(3)).toHaveText(formatTokens(4050));
  await expect(row.locator('td').nth(4)).toHaveText(formatTokens(1205));
  await expect(row.locator('td').nth(5)).toContainText(`${formatUsd(draftCost)} + unknown`);
  await expect(row).toContainText('gpt-4o-mini');
  await expect(page.getByTestId(`usage-task-${name}-draft`)).toContainText(formatUsd(draftCost));
  await expect(page.getByTestId(`usage-task-${name}-check`)).toContainText('unknown price');
  // The demo's runs are there too, priced from the table.
  await expect(page.getByTestId('usage-workflow-support-reply')).toContainText('$');

  await page.getByTestId('usage-range-1h').click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page.getByTestId(`usage-workflow-${name}`)).toBeVisible();

  // A range that ended long before these runs: nothing.
  await page.goto(`${stack.url}/p/default/usage?from=2020-01-01&to=2020-01-31`);
  await expect(page.getByTestId('usage-empty')).toBeVisible();
  await expect(page.getByTestId('usage-page')).toContainText('2020-01-01 to 2020-01-31');
});

test('a demo support-reply run shows the computed cost of its draft', async ({ page }) => {
  // The demo's draft reports gpt-4o-mini with ~4 characters per token; its prices come from the table.
  const tickets = ['Why was I charged twice for my invoice?', 'How do I invite a teammate?', 'Can I get a refund for last month?'];
  const costs = await Promise.all(
    tickets.map(async (question) => {
      const system = 'You are a concise support agent.';
      const text = await fakeLlm(system, question, 0.2);
      return formatUsd(priced('gpt-4o-mini', Math.ceil((system + question).length / 4), Math.ceil(text.length / 4)));
    }),
  );

  await openFirstRun(page, stack.url, 'support-reply');
  const draft = page.getByTestId('run-usage').getByTestId('usage-task-draft');
  await expect(draft).toContainText('gpt-4o-mini');
  await expect(draft).not.toContainText('unknown');
  // Polled: the panel may still be replacing a first render when it is read.
  const costCell = draft.locator('td').last();
  await expect
    .poll(async () => (await costCell.innerText()).trim())
    .toMatch(new RegExp(`^(${costs.map((c) => c.replace(/[$.]/g, '\\$&')).join('|')})$`));
  const cost = (await costCell.innerText()).trim();
  await expect(page.getByTestId('run-usage-total-cost')).toHaveText(cost);
});
