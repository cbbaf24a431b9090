import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decryptSecret } from '../../src/server/crypto/secrets';
import { startPlaygroundRuns } from '../../src/server/playground/runs';
import { GitHubRepository } from '../../src/server/playground/pull-request/github';
import { closeQueueKit } from '../../src/server/queue/project-queues';
import { createCaller } from '../../src/server/router';
import { prPromptsWorkflow } from '../fixtures/pr-prompts-workflow';
import { prSupportWorkflow } from '../fixtures/pr-support-workflow';
import { startFakeGitHub, type FakeGitHub } from '../helpers/github-server';
import { eventually, waitForStatus } from '../helpers/runs';
import { startTestStack, type TestStack } from '../helpers/stack';
import { createUser } from '../helpers/users';
import { stubStackEnv, useStackWorkers } from '../helpers/workers';

// "Open pull request" end to end on the server: a real playground run on a real worker records the
// call sites in tests/fixtures/pr-support-workflow.ts; the same file sits in a fake GitHub (a local
// HTTP server speaking GitHub's REST shapes) under a path prefix; Octokit talks to it for real.

const root = resolve(import.meta.dirname, '../..');
const FIXTURE = 'tests/fixtures/pr-support-workflow.ts';
const SOURCE = readFileSync(join(root, FIXTURE), 'utf8');
const PREFIX = 'services/worker';
const REPO_PATH = `${PREFIX}/${FIXTURE}`;
const TOKEN = 'github_pat_11TEST0000000000000000_secretsecretsecret';
const OWNER = 'acme';
const REPO = 'support-bot';
const WORKFLOW = 'pr-support';
const PROMPT = 'Apologise first.\nThen answer in two sentences.';

// A second workflow whose defaults live in other files: a prompts module and a JSON file.
const PROMPTS_WORKFLOW = 'pr-prompts';
const PROMPT_FILES = Object.fromEntries(
  ['tests/fixtures/pr-prompts-workflow.ts', 'tests/fixtures/pr-prompts.ts', 'tests/fixtures/pr-prompts.json'].map((f) => [
    f,
    readFileSync(join(root, f), 'utf8'),
  ]),
);
const IN_REPO = (file: string) => `${PREFIX}/${file}`;

const lineOf = (text: string) => SOURCE.split('\n').findIndex((l) => l.includes(text)) + 1;

let fake: FakeGitHub;
let stack: TestStack;
let caller: ReturnType<typeof createCaller>;
let ownerEmail: string;
let project: string;
let sourceRunId: string;
/** The variants of 'draft' (PlaygroundRun ids and their runs), by purpose. */
const variants: Record<'prompt' | 'hotter' | 'formal' | 'noCallsite' | 'sameAsDefault' | 'limits', { id: string; runId: string }> =
  {} as never;
const workers = useStackWorkers(() => stack);

beforeAll(async () => {
  fake = await startFakeGitHub({
    token: TOKEN,
    owner: OWNER,
    repo: REPO,
    files: {
      [REPO_PATH]: SOURCE,
      'README.md': '# support-bot\n',
      ...Object.fromEntries(Object.entries(PROMPT_FILES).map(([f, text]) => [IN_REPO(f), text])),
    },
  });
  // env() is read once per process: these must be in place before the first call.
  vi.stubEnv('WHETSTONE_GITHUB_API_URL', fake.url);
  stack = await startTestStack();
  stubStackEnv(stack);
  vi.stubEnv('WHETSTONE_PUBLIC_URL', stack.url);
  const owner = await createUser(stack.prisma, { role: 'owner', projectId: stack.projectId });
  ownerEmail = owner.email;
  caller = createCaller({ db: stack.prisma, user: { id: owner.id, email: owner.email, name: null } });
  project = (await stack.prisma.project.findUniqueOrThrow({ where: { id: stack.projectId } })).slug;

  const wf = prSupportWorkflow(stack.ws, WORKFLOW);
  await workers.start('pr-support', [wf]);
  const source = await wf.runNoWait({ ticket: 'refund please' });
  await source.result();
  sourceRunId = source.runId;
  const draft = await startPlaygroundRuns(stack.prisma, stack.projectId, {
    sourceRunId,
    taskName: 'draft',
    mode: 'STEP',
    variants: [
      { overrides: { systemPrompt: PROMPT, temperature: 0.7 } },
      { overrides: { temperature: 0.9 } },
      { overrides: { tone: { style: 'formal', signOff: false } } },
      { overrides: { temperature: 0.5 } },
      { overrides: { temperature: 0.2 } },
    ],
  });
  const limits = await startPlaygroundRuns(stack.prisma, stack.projectId, {
    sourceRunId,
    taskName: 'limits',
    mode: 'STEP',
    variants: [{ overrides: { maxWords: 50 } }],
  });
  const runs = [...draft.runs, ...limits.runs];
  for (const run of runs) expect((await waitForStatus(stack.prisma, run.runId, ['SUCCEEDED', 'FAILED'])).status).toBe('SUCCEEDED');
  const rows = await stack.prisma.playgroundRun.findMany({ where: { runId: { in: runs.map((r) => r.runId) } } });
  const idOf = (runId: string) => ({ id: rows.find((r) => r.runId === runId)!.id, runId });
  const names = ['prompt', 'hotter', 'formal', 'noCallsite', 'sameAsDefault'] as const;
  names.forEach((name, i) => (variants[name] = idOf(draft.runs[i]!.runId)));
  variants.limits = idOf(limits.runs[0]!.runId);
});

afterAll(async () => {
  await workers.stopAll();
  await closeQueueKit();
  await stack?.stop();
  await fake?.close();
});

const connect = (over: { token?: string; repo?: string; pathPrefix?: string } = {}) =>
  caller.repository.save({
    project,
    owner: OWNER,
    repo: over.repo ?? REPO,
    baseBranch: 'main',
    pathPrefix: over.pathPrefix ?? PREFIX,
    token: over.token ?? TOKEN,
  });

/** Runs `action`, expects it to fail with `code` and a message matching `message`, and GitHub to be exactly as before. */
async function refusedWithoutPush(action: () => Promise<unknown>, code: string, message: string | RegExp) {
  const before = fake.state.snapshot();
  const error = await action().then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as { code: string; message: string },
  );
  expect(error.code).toBe(code);
  if (typeof message === 'string') expect(error.message).toContain(message);
  else expect(error.message).toMatch(message);
  expect(fake.state.snapshot()).toBe(before);
}

describe('repository connection', () => {
  it('saves the token encrypted, never returns it, and keeps it when an update leaves it empty', async () => {
    const saved = await connect();
    expect(saved).toMatchObject({ owner: OWNER, repo: REPO, baseBranch: 'main', pathPrefix: PREFIX, hasToken: true, lastTest: null });
    const row = await stack.prisma.repositoryConnection.findUniqueOrThrow({ where: { projectId: stack.projectId } });
    expect(row.token).not.toContain(TOKEN);
    expect(decryptSecret(row.token)).toBe(TOKEN);

    const updated = await caller.repository.save({ project, owner: OWNER, repo: REPO, pathPrefix: `/${PREFIX}/`, token: '' });
    expect(updated.pathPrefix).toBe(PREFIX);
    expect(
      decryptSecret((await stack.prisma.repositoryConnection.findUniqueOrThrow({ where: { projectId: stack.projectId } })).token),
    ).toBe(TOKEN);
    expect(JSON.stringify(await caller.repository.get({ project }))).not.toContain(TOKEN);
  });

  it('"Test connection" answers clearly: ok, bad token (401), unknown repository (404), read-only token', async () => {
    await connect();
    const ok = await caller.repository.test({ project });
    expect(ok).toEqual({
      ok: true,
      message: expect.stringMatching(/^Connected to acme\/support-bot: the token can push; 'main' is at [0-9a-f]{7}$/),
    });
    expect((await caller.repository.get({ project }))!.lastTest).toMatchObject({ ok: true, message: ok.message });

    await connect({ token: 'github_pat_wrong' });
    expect(await caller.repository.test({ project })).toEqual({
      ok: false,
      message: 'GitHub rejected the token (401 Bad credentials): it is wrong, expired or revoked — save a new one in Settings → Repository',
    });

    await connect({ repo: 'no-such-repo' });
    expect(await caller.repository.test({ project })).toEqual({
      ok: false,
      message:
        'Reading the repository: GitHub answered 404 — the repository acme/no-such-repo does not exist or the token has no access to it',
    });

    const readOnly = await startFakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO, files: { 'a.ts': '' }, readOnly: true });
    try {
      const github = new GitHubRepository({
        apiUrl: readOnly.url,
        owner: OWNER,
        repo: REPO,
        baseBranch: 'main',
        pathPrefix: '',
        token: TOKEN,
      });
      expect((await github.testAccess()).message).toBe(
        'The token can read acme/support-bot but cannot push to it: give it Contents (read and write) and Pull requests (read and write) permissions',
      );
      await expect(github.createBranch('x', (await github.branchHead('main'))!)).rejects.toMatchObject({
        kind: 'precondition_failed',
        message:
          "Creating branch 'x': GitHub refused it (403 Resource not accessible by personal access token). The token needs Contents (read and write) and Pull requests (read and write) on acme/support-bot",
      });
    } finally {
      await readOnly.close();
    }
    const unreachable = new GitHubRepository({
      apiUrl: 'http://127.0.0.1:39999',
      owner: OWNER,
      repo: REPO,
      baseBranch: 'main',
      pathPrefix: '',
      token: TOKEN,
    });
    expect(await unreachable.testAccess()).toEqual({
      ok: false,
      message: 'Reading the repository: could not reach GitHub at http://127.0.0.1:39999 (ECONNREFUSED)',
    });
  });

  it('a first save without a token, or a bad owner name, is refused', async () => {
    await caller.repository.disconnect({ project });
    await expect(caller.repository.save({ project, owner: OWNER, repo: REPO })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('A token is needed'),
    });
    await expect(caller.repository.save({ project, owner: 'not an owner', repo: REPO, token: TOKEN })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await caller.repository.get({ project })).toBeNull();
  });
});

describe('without a GitHub connection', () => {
  it('the preview and "Download patch" use the source beside the server; the patch applies with git apply', async () => {
    await caller.repository.disconnect({ project });
    const preview = await caller.pullRequests.preview({ project, playgroundRunId: variants.prompt.id });
    expect([preview.connected, preview.files.map((f) => f.path)]).toEqual([false, [FIXTURE]]);

    const patch = await caller.pullRequests.patch({ project, playgroundRunId: variants.prompt.runId });
    expect(patch.files).toEqual([FIXTURE]);
    expect(patch.filename).toBe(`whetstone-pr-support-draft-${variants.prompt.id.replace(/-/g, '').slice(-8)}.patch`);
    expect(patch.patch).toBe(preview.files[0]!.diff);
    const dir = mkdtempSync(join(tmpdir(), 'ws-pr-patch-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      mkdirSync(dirname(join(dir, FIXTURE)), { recursive: true });
      writeFileSync(join(dir, FIXTURE), SOURCE);
      writeFileSync(join(dir, 'change.patch'), patch.patch);
      execFileSync('git', ['apply', '--check', 'change.patch'], { cwd: dir, stdio: 'pipe' });
      execFileSync('git', ['apply', 'change.patch'], { cwd: dir, stdio: 'pipe' });
      expect(readFileSync(join(dir, FIXTURE), 'utf8')).toBe(expectedPromptFile());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    await expect(caller.pullRequests.open({ project, playgroundRunId: variants.prompt.id, mode: 'new' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('No GitHub repository is connected to this project'),
    });
  });
});

/** The fixture with variant 'prompt' applied: a template literal for the two-line prompt, 0.7. */
const expectedPromptFile = () =>
  SOURCE.replace("'systemPrompt', 'You are a concise support agent.'", `'systemPrompt', \`${PROMPT}\``).replace(
    "'temperature', 0.2",
    "'temperature', 0.7",
  );

describe('errors: a clear message, and nothing pushed', () => {
  const open = (variant: keyof typeof variants) => () =>
    caller.pullRequests.open({ project, playgroundRunId: variants[variant].id, mode: 'new' });

  it('GitHub 401 and 404', async () => {
    await connect({ token: 'github_pat_revoked' });
    await refusedWithoutPush(open('prompt'), 'PRECONDITION_FAILED', 'GitHub rejected the token (401 Bad credentials)');
    await connect({ repo: 'gone' });
    await refusedWithoutPush(
      open('prompt'),
      'PRECONDITION_FAILED',
      "Reading branch 'main': GitHub answered 404 — the repository acme/gone does not exist or the token has no access to it",
    );
  });

  it('the file is not at that path (wrong path prefix)', async () => {
    await connect({ pathPrefix: 'apps/worker' });
    await refusedWithoutPush(
      open('prompt'),
      'NOT_FOUND',
      `File 'apps/worker/${FIXTURE}' not found at branch 'main' in acme/support-bot (path prefix 'apps/worker')`,
    );
  });

  it('the call is no longer in the file', async () => {
    await connect();
    const before = fake.state.refs.get('heads/main')!;
    fake.state.push('main', { [REPO_PATH]: SOURCE.replaceAll("'temperature'", "'warmth'") }, 'Rename temperature');
    try {
      await refusedWithoutPush(open('hotter'), 'BAD_REQUEST', `${REPO_PATH}: no playground('temperature', …) call found`);
    } finally {
      fake.state.refs.set('heads/main', before);
    }
  });

  it('a default that is neither a literal nor a same-file const', async () => {
    await connect();
    await refusedWithoutPush(
      open('limits'),
      'BAD_REQUEST',
      /pr-support-workflow\.ts:\d+: playground\('maxWords'\): the default is `Math\.max\(10, 20\)`/,
    );
  });

  it('a variable without a recorded call site, and a variant with nothing to change', async () => {
    await connect();
    const task = await stack.prisma.taskRun.findFirstOrThrow({ where: { workflowRunId: variants.noCallsite.runId, taskName: 'draft' } });
    await stack.prisma.taskRunVariable.updateMany({
      where: { taskRunId: task.id, name: 'temperature' },
      data: { file: null, line: null, column: null },
    });
    await refusedWithoutPush(open('noCallsite'), 'BAD_REQUEST', "Variable 'temperature' has no recorded call site");
    await refusedWithoutPush(
      open('sameAsDefault'),
      'BAD_REQUEST',
      "uses the default in code for every playground variable of 'draft': there is nothing to change",
    );
  });

  it('another project cannot use the variant', async () => {
    const other = await stack.prisma.project.create({ data: { name: 'Other', slug: `other-${Date.now()}` } });
    const outsider = await createUser(stack.prisma, { role: 'owner', projectId: other.id });
    const theirs = createCaller({ db: stack.prisma, user: { id: outsider.id, email: outsider.email, name: null } });
    await refusedWithoutPush(
      () => theirs.pullRequests.open({ project: other.slug, playgroundRunId: variants.prompt.id, mode: 'new' }),
      'NOT_FOUND',
      'not found in this project',
    );
  });
});

describe('opening a pull request', () => {
  const branch = () => `whetstone/pr-support-draft-${variants.prompt.id.replace(/-/g, '').slice(-8)}`;

  it('preview → one commit on a new branch with the rewritten file → the pull request, stored', async () => {
    await connect();
    const preview = await caller.pullRequests.preview({ project, playgroundRunId: variants.prompt.id });
    expect(preview).toMatchObject({
      connected: true,
      mode: 'new',
      branch: branch(),
      existingPullRequest: null,
      title: `Playground: update systemPrompt, temperature in ${WORKFLOW} › draft`,
    });
    expect(preview.files.map((f) => f.path)).toEqual([REPO_PATH]);
    expect(preview.files[0]!.diff).toContain(`--- a/${REPO_PATH}\n+++ b/${REPO_PATH}\n`);
    expect(preview.variables.map((v) => [v.name, v.before, v.after])).toEqual([
      ['systemPrompt', "'You are a concise support agent.'", `\`${PROMPT}\``],
      ['temperature', '0.2', '0.7'],
    ]);

    const mainBefore = fake.state.refs.get('heads/main');
    const result = await caller.pullRequests.open({ project, playgroundRunId: variants.prompt.id, mode: 'new' });

    // The branch: one commit on top of main, with exactly the rewritten file; main untouched.
    expect(fake.state.refs.get('heads/main')).toBe(mainBefore);
    const history = fake.state.history(branch());
    expect(history.map((c) => c.sha)).toEqual([result.commitSha, mainBefore]);
    expect(history[0]!.message).toBe(
      `Playground: update systemPrompt, temperature in ${WORKFLOW} › draft\n\nNew defaults from playground variant 1 (run ${variants.prompt.runId}) of run ${sourceRunId}:\n- systemPrompt (${REPO_PATH}:${lineOf("'systemPrompt'")})\n- temperature (${REPO_PATH}:${lineOf("'temperature'")})\n`,
    );
    expect(fake.state.files(branch())).toEqual({
      ...fake.state.files('main'),
      [REPO_PATH]: expectedPromptFile(),
    });

    // The pull request: title, body, head and base.
    expect(fake.state.pulls).toHaveLength(1);
    const pull = fake.state.pulls[0]!;
    expect([pull.head, pull.base, pull.state]).toEqual([branch(), 'main', 'open']);
    expect(pull.title).toBe(`Playground: update systemPrompt, temperature in ${WORKFLOW} › draft`);
    const run = (id: string) => `${stack.url}/p/${project}/runs/${id}`;
    const short = (id: string) => id.replace(/-/g, '').slice(-8);
    expect(pull.body).toBe(
      [
        `Opened from the Whetstone playground by ${ownerEmail}: [variant 1](${run(variants.prompt.runId)}) re-ran task \`draft\` of workflow \`${WORKFLOW}\` from [source run](${run(sourceRunId)}) with new values, and this pull request makes them the defaults in code.`,
        '### Changes',
        `- \`systemPrompt\` (\`${REPO_PATH}:${lineOf("'systemPrompt'")}\`):\n\nBefore:\n\n\`\`\`ts\n'You are a concise support agent.'\n\`\`\`\n\nAfter:\n\n\`\`\`ts\n\`${PROMPT}\`\n\`\`\``,
        `- \`temperature\` (\`${REPO_PATH}:${lineOf("'temperature'")}\`): \`0.2\` → \`0.7\``,
        '### Output of `draft`',
        `Source run ([${short(sourceRunId)}](${run(sourceRunId)})):`,
        '```json\n{\n  "reply": "You are a concise support agent. [0.2] warm re: refund please"\n}\n```',
        `Variant 1 ([${short(variants.prompt.runId)}](${run(variants.prompt.runId)})):`,
        `\`\`\`json\n{\n  "reply": ${JSON.stringify(`${PROMPT} [0.7] warm re: refund please`)}\n}\n\`\`\``,
        '---',
        `- Source run: ${run(sourceRunId)}`,
        `- Variant run: ${run(variants.prompt.runId)}`,
      ].join('\n\n') + '\n',
    );

    // Stored, and shown on the source run and on the variant's run.
    expect(result.pullRequest).toMatchObject({
      repository: 'acme/support-bot',
      number: 1,
      url: 'https://github.com/acme/support-bot/pull/1',
      state: 'OPEN',
      branch: branch(),
      base: 'main',
      headSha: result.commitSha,
      workflowName: WORKFLOW,
      taskName: 'draft',
      sourceRunId,
      playgroundRunId: variants.prompt.id,
      variantRunId: variants.prompt.runId,
      createdBy: ownerEmail,
    });
    const row = await stack.prisma.pullRequest.findFirstOrThrow({ where: { projectId: stack.projectId } });
    expect([row.number, row.state, row.branch, row.headSha, row.owner, row.repo]).toEqual([
      1,
      'OPEN',
      branch(),
      result.commitSha,
      OWNER,
      REPO,
    ]);
    for (const runId of [sourceRunId, variants.prompt.runId]) {
      expect((await caller.pullRequests.forRun({ project, runId })).map((p) => [p.number, p.url, p.state])).toEqual([
        [1, 'https://github.com/acme/support-bot/pull/1', 'OPEN'],
      ]);
    }
    expect(await caller.pullRequests.forRun({ project, runId: variants.hotter.runId })).toEqual([]);
  });

  it('the task now has an open pull request: another variant pushes a second commit to its branch', async () => {
    const preview = await caller.pullRequests.preview({ project, playgroundRunId: variants.hotter.id });
    expect(preview.existingPullRequest).toMatchObject({ number: 1, branch: branch(), state: 'OPEN' });
    const pushPreview = await caller.pullRequests.preview({ project, playgroundRunId: variants.hotter.id, mode: 'push' });
    expect(pushPreview.variables.map((v) => [v.name, v.before, v.after])).toEqual([['temperature', '0.7', '0.9']]);

    const first = fake.state.refs.get(`heads/${branch()}`);
    const result = await caller.pullRequests.open({ project, playgroundRunId: variants.hotter.id, mode: 'push' });
    const history = fake.state.history(branch());
    expect(history.map((c) => c.sha).slice(0, 2)).toEqual([result.commitSha, first]);
    expect(history).toHaveLength(3);
    expect(fake.state.files(branch())[REPO_PATH]).toBe(expectedPromptFile().replace("'temperature', 0.7", "'temperature', 0.9"));
    expect(fake.state.pulls).toHaveLength(1);

    expect(result.pullRequest).toMatchObject({ number: 1, headSha: result.commitSha, playgroundRunId: variants.prompt.id });
    expect(result.pullRequest.commits.map((c) => [c.sha, c.variantRunId])).toEqual([
      [first, variants.prompt.runId],
      [result.commitSha, variants.hotter.runId],
    ]);
    expect((await caller.pullRequests.forRun({ project, runId: variants.hotter.runId })).map((p) => p.number)).toEqual([1]);
  });

  it('opening a new one from the same variant again: the branch exists, nothing is pushed', async () => {
    await refusedWithoutPush(
      () => caller.pullRequests.open({ project, playgroundRunId: variants.prompt.id, mode: 'new' }),
      'CONFLICT',
      `Branch '${branch()}' already exists in acme/support-bot`,
    );
  });

  it('a merged pull request is not offered any more, and the runs show it merged', async () => {
    fake.state.setPullState(1, 'merged');
    const preview = await caller.pullRequests.preview({ project, playgroundRunId: variants.formal.id });
    expect(preview.existingPullRequest).toBeNull();
    await refusedWithoutPush(
      () => caller.pullRequests.open({ project, playgroundRunId: variants.formal.id, mode: 'push' }),
      'PRECONDITION_FAILED',
      "There is no open pull request for task 'draft' of workflow 'pr-support' to push to",
    );
    expect((await caller.pullRequests.forRun({ project, runId: sourceRunId })).map((p) => p.state)).toEqual(['MERGED']);
  });
});

describe('opening a pull request from a what-if report', () => {
  const tryOn = (runIds: string[]) =>
    caller.whatIf.start({
      project,
      runId: sourceRunId,
      task: 'draft',
      mode: 'STEP',
      overrides: { temperature: 0.4 },
      sources: { runIds },
      rules: [
        { kind: 'maxLength', value: 200 },
        { kind: 'mustMatch', pattern: 'refund', flags: '' },
      ],
    });

  it('is refused clearly when no row succeeded, and the wrong row is refused too', async () => {
    await connect();
    // No worker runs the rows: the report is cancelled before any of them starts.
    const started = await tryOn([sourceRunId]);
    if (!started.started) throw new Error('not started');
    await caller.whatIf.cancel({ project, id: started.reportId });
    await refusedWithoutPush(
      () => caller.pullRequests.open({ project, reportId: started.reportId, mode: 'new' }),
      'PRECONDITION_FAILED',
      `No row of what-if report ${started.reportId} has a succeeded task 'draft'`,
    );
    await refusedWithoutPush(
      () => caller.pullRequests.preview({ project, reportId: started.reportId, playgroundRunId: variants.prompt.id }),
      'BAD_REQUEST',
      `Playground run ${variants.prompt.id} is not a row of what-if report ${started.reportId}`,
    );
    await expect(caller.pullRequests.preview({ project })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Give playgroundRunId'),
    });
  });

  it("puts the report's totals, rows and link in the body", async () => {
    await connect();
    const wf = prSupportWorkflow(stack.ws, WORKFLOW);
    await workers.start('pr-support-what-if', [wf]);
    const more = await Promise.all(['where is my order?', 'cancel | my plan'].map((ticket) => wf.runNoWait({ ticket })));
    await Promise.all(more.map((r) => r.result()));
    const started = await tryOn([sourceRunId, ...more.map((r) => r.runId)]);
    if (!started.started) throw new Error('not started');
    const report = await eventually(async () => {
      const r = await caller.whatIf.get({ project, id: started.reportId });
      if (r.status === 'RUNNING') throw new Error(`${r.totals.pending} pending`);
      return r;
    }, 60_000);
    const row = report.rows.find((r) => r.after?.status === 'SUCCEEDED')!;

    const preview = await caller.pullRequests.preview({ project, reportId: report.id });
    expect([preview.reportId, preview.playgroundRunId, preview.variantRunId]).toEqual([report.id, row.id, row.runId]);
    expect(preview.variables.map((v) => [v.name, v.before, v.after])).toEqual([['temperature', '0.2', '0.4']]);

    const pullsBefore = fake.state.pulls.length;
    const result = await caller.pullRequests.open({ project, reportId: report.id, mode: 'new' });
    expect(fake.state.pulls).toHaveLength(pullsBefore + 1);
    const pull = fake.state.pulls.at(-1)!;
    expect(pull.head).toBe(`whetstone/pr-support-draft-${row.id.replace(/-/g, '').slice(-8)}`);
    expect(result.pullRequest).toMatchObject({ number: pull.number, playgroundRunId: row.id, variantRunId: row.runId });
    expect(pull.body).toBe(preview.body);

    const runUrl = (id: string) => `${stack.url}/p/${project}/runs/${id}`;
    const short = (id: string) => id.replace(/-/g, '').slice(-8);
    const reportUrl = `${stack.url}/p/${project}/what-if/${report.id}`;
    const body = pull.body ?? '';
    expect(
      body.startsWith(
        `Opened from a Whetstone what-if report by ${ownerEmail}: task \`draft\` of workflow \`${WORKFLOW}\` was re-run with new values over 3 earlier runs`,
      ),
    ).toBe(true);
    expect(body).toContain(
      `### What-if report\n\nThese values were tried on 3 runs, re-running task \`draft\` ([what-if report](${reportUrl})):`,
    );
    // Totals: every reply changed ("[0.4]"); length ≤ 200 passes everywhere, /refund/ only on the refund ticket.
    expect(body).toContain('|  | before | after |\n|---|---|---|\n| runs | 3 | 3 changed, 0 unchanged, 0 failed |\n| cost | — | — |\n');
    expect(body).toMatch(/\n\| mean latency \| \d+ ms \| \d+ ms \|\n\| checks passed \/ failed \| 4 \/ 2 \| 4 \/ 2 \|\n/);
    // One line per row, linking both runs.
    expect(body).toContain('| source run | new run | outcome | checks before | checks after |\n|---|---|---|---|---|\n');
    for (const r of report.rows) {
      const checks = r.sourceRunId === sourceRunId ? '2 / 2 passed' : '1 / 2 passed; failed: `matches /refund/`';
      expect(body).toContain(
        `| [${short(r.sourceRunId)}](${runUrl(r.sourceRunId)}) | [${short(r.runId)}](${runUrl(r.runId)}) | changed | ${checks} | ${checks} |\n`,
      );
    }
    expect(body.endsWith(`- What-if report: ${reportUrl}\n`)).toBe(true);
    expect(fake.state.history(pull.head)[0]!.message).toContain(
      `New defaults from what-if report ${report.id} (row run ${row.runId} of run ${row.sourceRunId}):`,
    );
  });
});

describe('defaults that live in other files: a prompts module and a JSON file', () => {
  let variant: { id: string; runId: string };
  const NEW_PROMPT = 'You answer support tickets kindly.\nYou never promise refunds.';

  beforeAll(async () => {
    const wf = prPromptsWorkflow(stack.ws, PROMPTS_WORKFLOW);
    await workers.start('pr-prompts', [wf]);
    const source = await wf.runNoWait({ ticket: 'where is my order' });
    await source.result();
    const started = await startPlaygroundRuns(stack.prisma, stack.projectId, {
      sourceRunId: source.runId,
      taskName: 'reply',
      mode: 'STEP',
      variants: [{ overrides: { systemPrompt: NEW_PROMPT, greeting: 'Hi there,' } }],
    });
    const runId = started.runs[0]!.runId;
    expect((await waitForStatus(stack.prisma, runId, ['SUCCEEDED', 'FAILED'])).status).toBe('SUCCEEDED');
    variant = { id: (await stack.prisma.playgroundRun.findFirstOrThrow({ where: { runId } })).id, runId };
  });

  const expectedTs = () =>
    PROMPT_FILES['tests/fixtures/pr-prompts.ts']!.replace("reply: 'You answer support tickets.',", `reply: \`${NEW_PROMPT}\`,`);
  const expectedJson = () => PROMPT_FILES['tests/fixtures/pr-prompts.json']!.replace('"Hello,"', '"Hi there,"');

  it('the patch (no connection) edits prompts.ts and prompts.json, not the call site', async () => {
    await caller.repository.disconnect({ project });
    const patch = await caller.pullRequests.patch({ project, playgroundRunId: variant.id });
    expect(patch.files).toEqual(['tests/fixtures/pr-prompts.json', 'tests/fixtures/pr-prompts.ts']);
    const dir = mkdtempSync(join(tmpdir(), 'ws-pr-prompts-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      for (const [file, text] of Object.entries(PROMPT_FILES)) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      writeFileSync(join(dir, 'change.patch'), patch.patch);
      execFileSync('git', ['apply', '--check', 'change.patch'], { cwd: dir, stdio: 'pipe' });
      execFileSync('git', ['apply', 'change.patch'], { cwd: dir, stdio: 'pipe' });
      expect(readFileSync(join(dir, 'tests/fixtures/pr-prompts.ts'), 'utf8')).toBe(expectedTs());
      expect(readFileSync(join(dir, 'tests/fixtures/pr-prompts.json'), 'utf8')).toBe(expectedJson());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the preview names each value's file and line; the pull request commits both files in one commit", async () => {
    await connect();
    const preview = await caller.pullRequests.preview({ project, playgroundRunId: variant.id });
    const callSite = IN_REPO('tests/fixtures/pr-prompts-workflow.ts');
    expect(preview.files.map((f) => [f.path, f.variables])).toEqual([
      [IN_REPO('tests/fixtures/pr-prompts.json'), ['greeting']],
      [IN_REPO('tests/fixtures/pr-prompts.ts'), ['systemPrompt']],
    ]);
    const tsLine = PROMPT_FILES['tests/fixtures/pr-prompts.ts']!.split('\n').findIndex((l) => l.includes('reply:')) + 1;
    expect(preview.variables.map((v) => [v.name, v.path, v.editPath, v.editLine, v.before, v.after])).toEqual([
      ['systemPrompt', callSite, IN_REPO('tests/fixtures/pr-prompts.ts'), tsLine, "'You answer support tickets.'", `\`${NEW_PROMPT}\``],
      ['greeting', callSite, IN_REPO('tests/fixtures/pr-prompts.json'), 2, '"Hello,"', '"Hi there,"'],
    ]);

    const mainBefore = fake.state.refs.get('heads/main');
    const result = await caller.pullRequests.open({ project, playgroundRunId: variant.id, mode: 'new' });
    const branch = result.pullRequest.branch;
    expect(branch).toBe(`whetstone/pr-prompts-reply-${variant.id.replace(/-/g, '').slice(-8)}`);
    expect(fake.state.history(branch).map((c) => c.sha)).toEqual([result.commitSha, mainBefore]);
    expect(fake.state.files(branch)).toEqual({
      ...fake.state.files('main'),
      [IN_REPO('tests/fixtures/pr-prompts.ts')]: expectedTs(),
      [IN_REPO('tests/fixtures/pr-prompts.json')]: expectedJson(),
    });
    const pull = fake.state.pulls.at(-1)!;
    expect([pull.head, pull.base, pull.title]).toEqual([
      branch,
      'main',
      `Playground: update systemPrompt, greeting in ${PROMPTS_WORKFLOW} › reply`,
    ]);
  });
});
