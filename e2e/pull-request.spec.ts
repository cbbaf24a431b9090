import { readFile } from 'node:fs/promises';
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { typeInMonaco } from './page-helpers';
import { e2eStack } from './stack';

// "Open pull request…" on a playground variant, against the fake GitHub global-setup started (the
// stack's server has WHETSTONE_GITHUB_API_URL pointing at it): without a connection a patch to
// download; connected, the diff to confirm, a branch + commit + pull request, a second variant
// pushed to that pull request, and the pull requests on the run pages.
const stack = e2eStack();
const github = {
  url: process.env.E2E_GITHUB_URL ?? '',
  token: process.env.E2E_GITHUB_TOKEN ?? '',
  owner: process.env.E2E_GITHUB_OWNER ?? '',
  repo: process.env.E2E_GITHUB_REPO ?? '',
};
if (!github.url || !github.token) throw new Error('E2E_GITHUB_URL/E2E_GITHUB_TOKEN unset: global-setup starts the fake GitHub');

// The demo keeps the draft-reply system prompt in a module of its own: the pull request edits that file.
const FILE = 'examples/src/prompts.ts';
const CALL_SITE = 'examples/src/ticket-triage.ts';
const DECLARATION = 'export const DRAFT_REPLY_SYSTEM_PROMPT = ';
const OLD_FIRST_LINE = 'You are a friendly support agent for Whetstone.';
const BRANCH = /^whetstone\/ticket-triage-draft-reply-[0-9a-f]{8}$/;

// One after another: the second test opens the pull request the third pushes to.
test.describe.configure({ mode: 'serial' });

const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage: true });
};

interface FakeState {
  branches: Record<string, { sha: string; files: Record<string, string> }>;
  pulls: Array<{ number: number; title: string; body: string | null; head: string; base: string; state: string }>;
}

async function fakeState(): Promise<FakeState> {
  const res = await fetch(`${github.url}/_fake/state`);
  return (await res.json()) as FakeState;
}

/** A pull request as GitHub's REST API answers it (it counts the commits on its branch). */
async function githubPull(number: number): Promise<{ commits: number; state: string; head: { ref: string } }> {
  const res = await fetch(`${github.url}/repos/${github.owner}/${github.repo}/pulls/${number}`, {
    headers: { authorization: `token ${github.token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { commits: number; state: string; head: { ref: string } };
}

/** A tRPC mutation as the signed-in owner (tRPC + superjson over HTTP). */
async function trpcMutation(request: APIRequestContext, procedure: string, input: unknown): Promise<unknown> {
  const res = await request.post(`${stack.url}/api/trpc/${procedure}`, { data: { json: input }, headers: { origin: stack.url } });
  expect(res.ok(), `${procedure}: HTTP ${res.status()} ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

let sourceRunId: string;
test.beforeAll(async () => {
  const ref = await stack.ws.workflow({ name: 'ticket-triage' }).runNoWait({
    customerId: 'c-pr',
    subject: 'Charged twice',
    body: 'My card was charged twice for order #A-30001. Please refund the duplicate.',
  });
  await ref.result();
  sourceRunId = ref.runId;
});

// Leave the project as other specs expect it: no repository connected.
test.afterAll(async ({ playwright }, testInfo) => {
  const request = await playwright.request.newContext({ baseURL: stack.url, storageState: testInfo.project.use.storageState as string });
  try {
    await trpcMutation(request, 'repository.disconnect', { project: 'default' });
  } finally {
    await request.dispose();
  }
});

/** Runs variant 1 of draft-reply with `prompt` as its system prompt; resolves with its column once it succeeded. */
async function runVariant(page: Page, prompt: string): Promise<Locator> {
  await page.goto(`${stack.url}/p/default/runs/${sourceRunId}/playground/draft-reply`);
  const v1 = page.getByTestId('variant-1');
  // The source values, unchanged, are not a pull request.
  await expect(v1.getByTestId('open-pull-request')).toHaveCount(0);
  await typeInMonaco(page, v1.getByTestId('editor-system_prompt'), prompt);
  await page.getByTestId('run-button').click();
  const signature = prompt.slice(prompt.lastIndexOf('Sign as ') + 'Sign as '.length, -1);
  await expect(v1.getByTestId('variant-result').getByTestId('output')).toContainText(signature, { timeout: 30_000 });
  await expect(v1.locator('.badge').first()).toHaveText('Succeeded');
  return v1;
}

const diffLines = (dialog: Locator, kind: 'added' | 'removed') =>
  dialog.locator(`[data-testid="diff-line"][data-kind="${kind}"] [data-testid="diff-text"]`);

test('without a GitHub connection the dialog shows the local diff and downloads a git-apply-able patch', async ({ page }) => {
  await trpcMutation(page.request, 'repository.disconnect', { project: 'default' });
  const v1 = await runVariant(page, 'You are a calm support agent. Mention the order number. Sign as Ada Lovelace.');
  await v1.getByTestId('open-pull-request').click();

  const dialog = page.getByTestId('pr-dialog');
  const notConnected = dialog.getByTestId('pr-not-connected');
  await expect(notConnected).toContainText('No GitHub repository is connected');
  await expect(notConnected.getByRole('link', { name: 'Settings → Repository' })).toHaveAttribute('href', '/p/default/settings');
  // The preview of the change, from the source beside the server.
  await expect(dialog.getByTestId('pr-file')).toHaveAttribute('data-path', FILE);
  await expect(diffLines(dialog, 'removed').first()).toContainText(OLD_FIRST_LINE);
  await expect(diffLines(dialog, 'added')).toContainText(['Sign as Ada Lovelace.']);
  await expect(dialog.getByTestId('pr-confirm')).toHaveCount(0);
  await shot(page, 'pull-request-not-connected');

  const downloading = page.waitForEvent('download');
  await notConnected.getByTestId('pr-download-patch').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^whetstone-ticket-triage-draft-reply-[0-9a-f]{8}\.patch$/);
  const patch = await readFile((await download.path())!, 'utf8');
  expect(patch.startsWith(`diff --git a/${FILE} b/${FILE}\n`)).toBe(true);
  expect(patch).toContain(`-${DECLARATION}\`${OLD_FIRST_LINE}`);
  expect(patch).toContain('Sign as Ada Lovelace.');
  expect(patch).toMatch(/^\+.*Sign as Ada Lovelace\./m);

  // Nothing was sent to GitHub.
  expect((await fakeState()).pulls).toEqual([]);
  await dialog.getByTestId('pr-cancel').click();
  await expect(dialog).toHaveCount(0);
});

let pullNumber: number;
let branch: string;
let firstVariantRunId: string;

test('from a playground variant to a pull request shown on the run: diff, confirm, branch and commit on GitHub', async ({ page }) => {
  // Settings → Repository, as the owner.
  await page.goto(`${stack.url}/p/default/settings`);
  const settings = page.getByTestId('repository');
  await settings.getByTestId('repo-owner').fill(github.owner);
  await settings.getByTestId('repo-name').fill(github.repo);
  await settings.getByTestId('repo-base').fill('main');
  await settings.getByTestId('repo-prefix').fill('');
  await settings.getByTestId('repo-token').fill(github.token);
  await settings.getByTestId('repo-save').click();
  await expect(settings.getByTestId('repository-saved')).toHaveText('Saved.');

  const prompt = 'You are a formal and apologetic support agent. Mention the order number. Sign as Grace Hopper.';
  const v1 = await runVariant(page, prompt);
  firstVariantRunId = (await v1.getByTestId('variant-run-link').getAttribute('href'))!.split('/').pop()!;
  await v1.getByTestId('open-pull-request').click();

  const dialog = page.getByTestId('pr-dialog');
  await expect(dialog.getByTestId('pr-repository')).toHaveText(`${github.owner}/${github.repo}`);
  await expect(dialog.getByTestId('pr-base')).toHaveText('main');
  await expect(dialog.getByTestId('pr-branch')).toHaveText(BRANCH);
  await expect(dialog.getByTestId('pr-modes')).toHaveCount(0);
  // Before → after of the variable, and the file's diff line by line.
  const variable = dialog.getByTestId('pr-variable-system_prompt');
  await expect(variable).toContainText(CALL_SITE);
  await expect(variable.getByTestId('pr-value-location')).toHaveText(new RegExp(`^value in ${FILE.replace(/\./g, '\\.')}:\\d+$`));
  await expect(variable.getByTestId('pr-before')).toContainText(OLD_FIRST_LINE);
  await expect(variable.getByTestId('pr-after')).toHaveText(`\`${prompt}\``);
  await expect(dialog.getByTestId('pr-file')).toHaveAttribute('data-path', FILE);
  await expect(diffLines(dialog, 'removed').first()).toHaveText(`${DECLARATION}\`${OLD_FIRST_LINE}`);
  await expect(diffLines(dialog, 'removed').last()).toContainText('Sign as Whetstone Support.');
  await expect(diffLines(dialog, 'added')).toHaveText([`${DECLARATION}\`${prompt}\`;`]);
  await expect(dialog.getByTestId('pr-title-text')).toHaveText('Playground: update system_prompt in ticket-triage › draft-reply');
  await shot(page, 'pull-request-preview');

  branch = (await dialog.getByTestId('pr-branch').textContent())!;
  await dialog.getByTestId('pr-confirm').click();
  const result = dialog.getByTestId('pr-result');
  await expect(result).toContainText('Opened pull request #');
  pullNumber = Number(await result.getAttribute('data-number'));
  const link = result.getByTestId('pr-link');
  await expect(link).toHaveText(`#${pullNumber}`);
  await expect(link).toHaveAttribute('href', `https://github.com/${github.owner}/${github.repo}/pull/${pullNumber}`);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
  await expect(dialog.getByTestId('pr-confirm')).toHaveCount(0);
  await shot(page, 'pull-request-opened');

  // On the fake GitHub: the branch with the rewritten file, and the pull request naming the variable.
  const state = await fakeState();
  const pull = state.pulls.find((p) => p.number === pullNumber)!;
  expect(pull).toMatchObject({
    head: branch,
    base: 'main',
    state: 'open',
    title: 'Playground: update system_prompt in ticket-triage › draft-reply',
  });
  expect(pull.body).toContain('system_prompt');
  const file = state.branches[branch]!.files[FILE]!;
  expect(file).toContain(`\n${DECLARATION}\`${prompt}\`;\n`);
  // The call site is untouched: the commit changes the prompts module only.
  expect(state.branches[branch]!.files[CALL_SITE]).toBe(state.branches.main!.files[CALL_SITE]);
  expect(file).not.toContain(OLD_FIRST_LINE);
  expect(state.branches.main!.files[FILE]).toContain(OLD_FIRST_LINE);

  await dialog.getByTestId('pr-cancel').click();
  await expect(v1.getByTestId('variant-pull-request')).toContainText(`Opened #${pullNumber}`);

  // The source run and the variant's run list it.
  for (const runId of [sourceRunId, firstVariantRunId]) {
    await page.goto(`${stack.url}/p/default/runs/${runId}`);
    const row = page.getByTestId('run-pull-requests').locator(`[data-testid="pull-request-row"][data-number="${pullNumber}"]`);
    await expect(row.getByTestId('pull-request-state')).toHaveText('OPEN');
    await expect(row.getByTestId('pull-request-link')).toHaveAttribute(
      'href',
      `https://github.com/${github.owner}/${github.repo}/pull/${pullNumber}`,
    );
    await expect(row.getByTestId('pull-request-link')).toHaveAttribute('target', '_blank');
    await expect(row.getByTestId('pull-request-branch')).toContainText(branch);
    await expect(row).toContainText('ticket-triage › draft-reply');
    await expect(row.getByTestId('pull-request-commits')).toContainText('this run');
  }
  await shot(page, 'pull-request-on-run');
});

test('a later variant pushes a new commit to the open pull request instead of opening another', async ({ page }) => {
  const prompt = 'You are a warm support agent. Apologize once. Sign as Alan Turing.';
  const v1 = await runVariant(page, prompt);
  await v1.getByTestId('open-pull-request').click();

  const dialog = page.getByTestId('pr-dialog');
  const modes = dialog.getByTestId('pr-modes');
  await expect(modes).toContainText('Open a new PR');
  await expect(modes).toContainText(`Push a new commit to #${pullNumber}`);
  await expect(dialog.getByTestId('pr-mode-new')).toBeChecked();
  await dialog.getByTestId('pr-mode-push').check();
  // Diffed against the pull request's branch: the previous variant's prompt goes, this one comes.
  await expect(dialog.getByTestId('pr-branch')).toHaveText(branch);
  await expect(diffLines(dialog, 'removed')).toHaveText([/Sign as Grace Hopper\.`;$/]);
  await expect(diffLines(dialog, 'added')).toHaveText([`${DECLARATION}\`${prompt}\`;`]);
  await expect(dialog.getByTestId('pr-confirm')).toHaveText(`Push commit to #${pullNumber}`);
  await shot(page, 'pull-request-push-preview');
  await dialog.getByTestId('pr-confirm').click();

  await expect(dialog.getByTestId('pr-result')).toContainText(
    new RegExp(`^Pushed commit [0-9a-f]{7} to pull request #${pullNumber} in ${github.owner}/${github.repo}`),
  );
  const state = await fakeState();
  expect(state.pulls.map((p) => p.number)).toEqual([pullNumber]);
  expect(state.branches[branch]!.files[FILE]).toContain(`\`${prompt}\``);
  expect(state.branches[branch]!.files[FILE]).not.toContain('Grace Hopper');
  expect((await githubPull(pullNumber)).commits).toBe(2);

  await page.goto(`${stack.url}/p/default/runs/${sourceRunId}`);
  const row = page.getByTestId('run-pull-requests').locator(`[data-testid="pull-request-row"][data-number="${pullNumber}"]`);
  await expect(row.getByTestId('pull-request-state')).toHaveText('OPEN');
  await expect(row.getByTestId('pull-request-commits')).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('pull-request-row')).toHaveCount(1);
});

test('an error from GitHub is shown in the dialog and nothing is pushed', async ({ page }) => {
  // The same variant again: its branch exists already.
  await page.goto(`${stack.url}/p/default/runs/${sourceRunId}/playground/draft-reply`);
  const entry = page.getByTestId('history-entry').filter({ hasText: 'You are a formal and apologetic' });
  await entry.click();
  const v1 = page.getByTestId('variant-1');
  await expect(v1.getByTestId('variant-result').getByTestId('output')).toContainText('Grace Hopper');
  await v1.getByTestId('open-pull-request').click();
  const dialog = page.getByTestId('pr-dialog');
  await expect(dialog.getByTestId('pr-branch')).toHaveText(branch);
  const before = await fakeState();
  await dialog.getByTestId('pr-confirm').click();
  await expect(dialog.getByTestId('pr-open-error')).toContainText(
    `Nothing was pushed: Branch '${branch}' already exists in ${github.owner}/${github.repo}`,
  );
  await expect(dialog.getByTestId('pr-open-error')).toHaveAttribute('role', 'alert');
  expect(await fakeState()).toEqual(before);
});
