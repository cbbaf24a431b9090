import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack';
import { createUser, signIn } from '../helpers/users';

const run = promisify(execFile);
let stack: TestStack;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  // A project outside this repo that has only @whetstone/sdk installed (linked as npm would).
  dir = mkdtempSync(join(tmpdir(), 'whetstone-user-'));
  mkdirSync(join(dir, 'node_modules/@whetstone'), { recursive: true });
  symlinkSync(resolve(import.meta.dirname, '../../packages/sdk'), join(dir, 'node_modules/@whetstone/sdk'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(
    join(dir, 'count-words.mjs'),
    `import { Whetstone } from '@whetstone/sdk';
const ws = Whetstone.init();
const wf = ws.workflow({ name: 'count-words' });
const split = wf.task({ name: 'split', fn: (input) => ({ words: input.text.split(' ') }) });
wf.task({ name: 'count', parents: [split], fn: (_input, ctx) => ({ count: ctx.parentOutput(split).words.length }) });
const worker = ws.worker('outside-worker', { workflows: [wf] });
await worker.start();
const ref = await wf.runNoWait({ text: 'one two three' });
console.log(JSON.stringify({ runId: ref.runId, output: await ref.result() }));
await worker.stop();
`,
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stack?.stop();
});

describe('a user script outside the repo, using only @whetstone/sdk', () => {
  it('defines a 2-task DAG, starts a worker, runs it and gets the output; the run is in the dashboard', async () => {
    const { stdout } = await run(process.execPath, ['count-words.mjs'], {
      cwd: dir,
      env: { ...process.env, WHETSTONE_API_URL: stack.url, WHETSTONE_API_KEY: stack.apiKey },
      timeout: 60_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result.output).toEqual({ split: { words: ['one', 'two', 'three'] }, count: { count: 3 } });

    const viewer = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
    const cookie = await signIn(stack.url, viewer.email, viewer.password);
    const page = await fetch(`${stack.url}/p/default/runs/${result.runId}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('count-words');
    const input = encodeURIComponent(JSON.stringify({ json: { project: 'default' } }));
    const list = await fetch(`${stack.url}/api/trpc/runs.list?input=${input}`, { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(result.runId);
  });
});
