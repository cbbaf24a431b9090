import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { collectPageErrors, shot, typeInMonaco } from './page-helpers';
import { e2eStack } from './stack';

// "Try on more runs": from a playground variant, the same values over many earlier runs of the
// workflow (chosen with the runs-list filters or by hand), as a live what-if report.

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

const COHORT = 'whatif-e2e';
const XSS = '<img src=x onerror=window.__pwned=1>';
const ORDERS = ['A-30001', 'A-30002', 'A-30003', 'A-30004', 'B-30005', 'B-30006', 'C-30007', 'C-30008'];
let sourceRunIds: string[] = [];

test.beforeAll(async () => {
  // ticket-triage is served by the demo worker global-setup started; eight more runs, tagged with a cohort.
  const wf = stack.ws.workflow<Ticket>({ name: 'ticket-triage' });
  const refs = await Promise.all(
    ORDERS.map((order, i) =>
      wf.runNoWait(
        {
          customerId: `c-wi-${i}`,
          subject: `Charged twice for order #${order}`,
          body: `My card was charged twice for order #${order}. Please refund the duplicate.`,
        },
        { additionalMetadata: { cohort: COHORT } },
      ),
    ),
  );
  await Promise.all(refs.map((r) => r.result()));
  sourceRunIds = refs.map((r) => r.runId);
});

const playgroundUrl = (runId: string, task: string) => `${stack.url}/p/default/runs/${runId}/playground/${encodeURIComponent(task)}`;

const rows = (page: Page) => page.getByTestId('what-if-row');
const rowsWith = (page: Page, outcome: string) => page.locator(`[data-testid="what-if-row"][data-outcome="${outcome}"]`);
const REPORT_URL = /\/p\/default\/what-if\/([0-9a-f-]{36})$/;

test('filter runs, start a what-if with an edited prompt, watch the rows arrive, re-run it with other values', async ({ page }) => {
  test.setTimeout(120_000);
  const pageErrors = collectPageErrors(page);
  await page.goto(playgroundUrl(sourceRunIds[0]!, 'draft-reply'));
  const v1 = page.getByTestId('variant-1');
  await typeInMonaco(
    page,
    v1.getByTestId('editor-system_prompt'),
    'You are a formal and apologetic support agent. Mention the order number. Sign as Ada Lovelace.',
  );

  await v1.getByTestId('try-on-more-runs').click();
  const dialog = page.getByTestId('what-if-dialog');
  await expect(dialog).toBeVisible();
  // The variant's values, as they would be sent.
  const values = dialog.getByTestId('what-if-values');
  await expect(values).toContainText('You are a formal and apologetic');
  await expect(values).toContainText('temperature');
  await values.getByText('Full values').click();
  await expect(values.getByTestId('full-value-system_prompt')).toBeVisible();
  await expect(values.getByTestId('full-value-system_prompt')).toContainText('Sign as Ada Lovelace');

  // Every non-playground run of ticket-triage matches at first; the cohort narrows it to the eight.
  await expect(dialog.getByTestId('what-if-match-count')).toHaveText(/^\d+ runs match$/);
  await dialog.getByTestId('what-if-meta-input').fill(`cohort=${COHORT}`);
  await dialog.getByTestId('what-if-meta-input').press('Enter');
  await expect(dialog.getByTestId(`what-if-meta-cohort`)).toContainText(`cohort=${COHORT}`);
  await expect(dialog.getByTestId('what-if-match-count')).toHaveText('8 runs match');

  // A check: the new prompt's signature must be there (the old outputs fail it, the new ones pass).
  await dialog.getByTestId('what-if-add-rule').click();
  await dialog.getByTestId('what-if-rule-0').getByTestId('rule-pattern').fill('Lovelace');
  await expect(dialog.getByTestId('rule-error')).toHaveCount(0);
  await shot(page, 'what-if-dialog');
  await expect(dialog.getByTestId('what-if-start')).toHaveText('Start on 8 runs');
  await dialog.getByTestId('what-if-start').click();

  await expect(page).toHaveURL(REPORT_URL, { timeout: 30_000 });
  const reportId = REPORT_URL.exec(page.url())![1]!;
  const report = page.getByTestId('what-if-report');
  await expect(report.getByTestId('report-workflow')).toHaveText('ticket-triage');
  await expect(page.getByTestId('report-values')).toContainText('Sign as Ada Lovelace');
  await expect(page.getByTestId('report-sources')).toContainText(`cohort=${COHORT}`);
  // One row per source run; each turns from pending to changed as its new run finishes.
  await expect(rows(page)).toHaveCount(8);
  expect(new Set(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-source'))))).toEqual(new Set(sourceRunIds));
  await expect(rowsWith(page, 'changed')).toHaveCount(8, { timeout: 45_000 });
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'FINISHED');
  await expect(page.getByTestId('what-if-cancel-report')).toHaveCount(0);

  // Totals: all changed, checks failed before and passed after.
  await expect(page.getByTestId('total-changed')).toContainText('8');
  await expect(page.getByTestId('total-unchanged')).toContainText('0');
  await expect(page.getByTestId('total-failed')).toContainText('0');
  await expect(page.getByTestId('total-pending')).toContainText('0');
  await expect(page.getByTestId('total-checks')).toContainText('0 passed, 8 failed → 8 passed, 0 failed');
  await expect(page.getByTestId('total-latency')).toContainText('→');

  // A row: links to both runs, the word diff, per-row checks.
  const row = rows(page).first();
  const sourceId = (await row.getAttribute('data-source'))!;
  await expect(row.getByTestId('row-source-link')).toHaveAttribute('href', `/p/default/runs/${sourceId}`);
  await expect(row.getByTestId('row-run-link')).toHaveAttribute('href', /^\/p\/default\/runs\/[0-9a-f-]{36}$/);
  await expect(row.getByTestId('row-diff').locator('ins', { hasText: 'Lovelace' })).not.toHaveCount(0);
  await expect(row.getByTestId('row-diff').locator('del', { hasText: 'Whetstone' })).not.toHaveCount(0);
  await expect(row.getByTestId('row-diff-summary')).toHaveText(/^\+\d+ \/ −\d+ words$/);
  await expect(row.getByTestId('row-check')).toHaveAttribute('data-passed', 'true');
  await expect(row.getByTestId('row-check')).toContainText('matches /Lovelace/');
  await row.getByTestId('row-expand').click();
  await expect(row.getByTestId('row-side-by-side')).toContainText('Ada Lovelace');

  // Filtering and sorting on the client.
  await page.getByTestId('rows-filter-failed').click();
  await expect(rows(page)).toHaveCount(0);
  await page.getByTestId('rows-filter-changed').click();
  await expect(rows(page)).toHaveCount(8);
  await page.getByTestId('rows-checks-failing').check();
  await expect(rows(page)).toHaveCount(0);
  await page.getByTestId('rows-checks-failing').uncheck();
  await page.getByTestId('sort-duration').click();
  await expect(page.getByTestId('sort-duration')).toHaveAttribute('aria-pressed', 'true');
  await expect(rows(page)).toHaveCount(8);
  await shot(page, 'what-if-report');

  // The list page (in the main navigation) shows the report.
  await page.getByTestId('nav-what-if').click();
  await expect(page).toHaveURL(/\/p\/default\/what-if$/);
  const entry = page.locator(`[data-testid="what-if-report-row"][data-report="${reportId}"]`);
  await expect(entry).toContainText('ticket-triage');
  await expect(entry).toContainText('draft-reply');
  await expect(entry).toContainText('system_prompt');
  await expect(entry.getByTestId('report-status')).toHaveAttribute('data-status', 'FINISHED');
  await shot(page, 'what-if-list');

  // Reopen it and re-run with another prompt: same filter and checks, a new report.
  await entry.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/what-if/${reportId}$`));
  await page.getByTestId('what-if-rerun').click();
  const rerun = page.getByTestId('what-if-dialog');
  await expect(rerun.getByTestId(`what-if-meta-cohort`)).toBeVisible();
  await expect(rerun.getByTestId('what-if-match-count')).toHaveText('8 runs match');
  await expect(rerun.getByTestId('what-if-rule-0').getByTestId('rule-pattern')).toHaveValue('Lovelace');
  await typeInMonaco(page, rerun.getByTestId('what-if-editor-system_prompt'), 'You are a cheerful support agent. Sign as Grace Hopper.');
  await rerun.getByTestId('what-if-start').click();
  await expect(page).not.toHaveURL(new RegExp(`/what-if/${reportId}$`), { timeout: 30_000 });
  await expect(page).toHaveURL(REPORT_URL);
  await expect(page.getByTestId('report-values')).toContainText('Grace Hopper');
  await expect(rowsWith(page, 'changed')).toHaveCount(8, { timeout: 45_000 });
  // Against the source runs' outputs, the new signature fails the old check.
  await expect(page.getByTestId('total-checks')).toContainText('0 passed, 8 failed → 0 passed, 8 failed');
  await expect(rows(page).first().getByTestId('row-diff').locator('ins', { hasText: 'Hopper' })).not.toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

test('cancelling a report stops its remaining runs', async ({ page }) => {
  const wf = stack.ws.workflow<{ n: number }>({ name: 'e2e-whatif-slow' });
  // With the default prompt it answers at once (the source runs). With another, ticket 1 answers
  // after a few seconds (a row that arrives while the page watches) and the others wait until cancelled.
  wf.task({
    name: 'reply',
    fn: async (input, ctx) => {
      const prompt = ctx.playground('prompt', 'Hello');
      if (prompt !== 'Hello') {
        await new Promise((resolve) => {
          ctx.abortSignal.addEventListener('abort', resolve);
          if (input.n === 1) setTimeout(resolve, 6_000);
        });
      }
      return `${prompt} #${input.n}`;
    },
  });
  const worker = stack.ws.worker('e2e-whatif-slow', { workflows: [wf], handleSignals: false });
  workers.push(worker);
  await worker.start();
  const sources = [];
  for (const n of [1, 2, 3]) sources.push(await wf.runNoWait({ n }));
  await Promise.all(sources.map((s) => s.result()));

  await page.goto(playgroundUrl(sources[0]!.runId, 'reply'));
  await typeInMonaco(page, page.getByTestId('variant-1').getByTestId('editor-prompt'), 'Bonjour');
  await page.getByTestId('variant-1').getByTestId('try-on-more-runs').click();
  const dialog = page.getByTestId('what-if-dialog');
  // Picked by hand from the workflow's recent runs.
  await dialog.getByTestId('what-if-by-hand').check();
  await expect(dialog.getByTestId('what-if-pick-list').locator('li')).toHaveCount(3);
  await expect(dialog.getByTestId('what-if-start')).toBeDisabled();
  await dialog.getByTestId(`what-if-pick-${sources[0]!.runId}`).click();
  await expect(dialog.getByTestId('what-if-picked-count')).toHaveText('1 picked');
  await dialog.getByTestId('what-if-pick-all').click();
  await expect(dialog.getByTestId('what-if-picked-count')).toHaveText('3 picked');
  await dialog.getByTestId('what-if-start').click();

  await expect(page).toHaveURL(REPORT_URL, { timeout: 30_000 });
  await expect(page.getByTestId('report-sources')).toHaveText('3 runs picked by hand');
  await expect(rows(page)).toHaveCount(3);
  await expect(rowsWith(page, 'pending')).toHaveCount(3);
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'RUNNING');
  // The page polls while the report runs: ticket 1's row arrives without a reload.
  await expect(rowsWith(page, 'changed')).toHaveCount(1);
  await expect(rowsWith(page, 'changed')).toContainText('Bonjour #1');
  await expect(page.getByTestId('total-pending')).toContainText('2');
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'RUNNING');

  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('what-if-cancel-report').click();
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'CANCELLED');
  await expect(page.getByTestId('what-if-cancel-report')).toHaveCount(0);
  // The cancelled runs are the report's failed rows; the finished one keeps its result.
  await expect(rowsWith(page, 'failed')).toHaveCount(2);
  await expect(rowsWith(page, 'changed')).toHaveCount(1);
  await expect(page.getByTestId('total-failed')).toContainText('2');
  await expect(rowsWith(page, 'failed').first().getByTestId('row-run-link')).toHaveAttribute('href', /^\/p\/default\/runs\//);
});

test('when the code moved since the source run, the warnings come first; "Start anyway" starts it', async ({ page }) => {
  const name = 'e2e-whatif-moved';
  const first = stack.ws.workflow<{ q: string }>({ name });
  first.task({ name: 'reply', fn: (input, ctx) => `${ctx.playground('prompt', 'Hello')}: ${input.q}` });
  const oldWorker = stack.ws.worker(name, { workflows: [first], handleSignals: false });
  await oldWorker.start();
  const source = await first.runNoWait({ q: 'old' });
  await source.result();
  await oldWorker.stop();
  // Version 2 reads 'prompt' on another line.
  const second = stack.ws.workflow<{ q: string }>({ name, description: 'v2' });
  second.task({
    name: 'reply',
    fn: (input, ctx) => {
      const prompt = ctx.playground('prompt', 'Hello');
      return `${prompt}: ${input.q}`;
    },
  });
  const newWorker = stack.ws.worker(name, { workflows: [second], handleSignals: false });
  workers.push(newWorker);
  await newWorker.start();
  // Its output quotes the input: markup there must stay text on the report.
  await (await second.runNoWait({ q: `new ${XSS}` })).result();

  await page.goto(playgroundUrl(source.runId, 'reply'));
  await typeInMonaco(page, page.getByTestId('variant-1').getByTestId('editor-prompt'), 'Hi there');
  await page.getByTestId('variant-1').getByTestId('try-on-more-runs').click();
  const dialog = page.getByTestId('what-if-dialog');
  await expect(dialog.getByTestId('what-if-match-count')).toHaveText('2 runs match');
  await dialog.getByTestId('what-if-start').click();
  const warnings = dialog.getByTestId('what-if-warnings');
  await expect(warnings).toContainText(/'prompt' moved from \S+:\d+ to \S+:\d+ since the source run/);
  await expect(dialog.getByTestId('what-if-start')).toHaveCount(0);
  await expect(page).not.toHaveURL(REPORT_URL);
  await dialog.getByTestId('what-if-start-anyway').click();

  await expect(page).toHaveURL(REPORT_URL, { timeout: 30_000 });
  await expect(page.getByTestId('report-warnings')).toContainText("'prompt' moved from");
  await expect(rowsWith(page, 'changed')).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('what-if-rows')).toContainText('Hi there: old');
  await expect(page.getByTestId('what-if-rows')).toContainText(`Hi there: new ${XSS}`);
  await expect(page.locator('[data-testid="what-if-rows"] img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
});

/** A tRPC mutation as the signed-in owner (tRPC + superjson over HTTP). */
async function trpcMutation(request: APIRequestContext, procedure: string, input: unknown): Promise<unknown> {
  const res = await request.post(`${stack.url}/api/trpc/${procedure}`, { data: { json: input }, headers: { origin: stack.url } });
  expect(res.ok(), `${procedure}: HTTP ${res.status()} ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

test('a finished report opens a pull request whose description carries the report', async ({ page }) => {
  const github = {
    url: process.env.E2E_GITHUB_URL!,
    token: process.env.E2E_GITHUB_TOKEN!,
    owner: process.env.E2E_GITHUB_OWNER!,
    repo: process.env.E2E_GITHUB_REPO!,
  };
  await trpcMutation(page.request, 'repository.save', { project: 'default', owner: github.owner, repo: github.repo, token: github.token });
  try {
    const started = (await trpcMutation(page.request, 'whatIf.start', {
      project: 'default',
      runId: sourceRunIds[0],
      task: 'draft-reply',
      mode: 'STEP',
      overrides: { system_prompt: 'You are a terse support agent. Sign as Katherine Johnson.' },
      sources: { runIds: sourceRunIds.slice(0, 2) },
    })) as { started: boolean; reportId: string };
    expect(started.started).toBe(true);
    await page.goto(`${stack.url}/p/default/what-if/${started.reportId}`);
    await expect(rowsWith(page, 'changed')).toHaveCount(2, { timeout: 30_000 });

    await page.getByTestId('report-open-pull-request').click();
    const dialog = page.getByTestId('report-pr-dialog');
    await expect(dialog.getByTestId('pr-file')).toHaveAttribute('data-path', 'examples/src/prompts.ts');
    await expect(dialog.getByTestId('report-pr-body')).toContainText('### What-if report');
    await expect(dialog.getByTestId('report-pr-body')).toContainText('2 changed, 0 unchanged, 0 failed');
    await dialog.getByTestId('report-pr-confirm').click();
    await expect(dialog.getByTestId('report-pr-result')).toContainText('Opened pull request');
    const number = Number((await dialog.getByTestId('report-pr-link').textContent())!.slice(1));
    const state = (await (await fetch(`${github.url}/_fake/state`)).json()) as { pulls: Array<{ number: number; body: string | null }> };
    const pull = state.pulls.find((p) => p.number === number);
    expect(pull?.body).toContain('### What-if report');
    expect(pull?.body).toContain(started.reportId);
  } finally {
    await trpcMutation(page.request, 'repository.disconnect', { project: 'default' });
  }
});
