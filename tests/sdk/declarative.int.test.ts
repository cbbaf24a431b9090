import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeclarativeWorkflowError, type Context, type WhetstoneWorker } from '@whetstone/sdk';
import { startTestStack, type TestStack } from '../helpers/stack';

// Declarative YAML workflows (Hatchet's v0 format) on the real stack: a worker with no code
// workflows loads a folder of YAML files, an event starts the workflow, both jobs run in
// parallel, and each step's action receives its templated `with` values.

const fixtures = resolve(import.meta.dirname, '../fixtures/declarative');
const PARALLEL_WAIT_MS = 15_000;

let stack: TestStack;
let worker: WhetstoneWorker;
const calls: { task: string; input: unknown; runInput: unknown }[] = [];

/** Resolves when `mark()` is called; `wait()` rejects if that takes too long. */
function signal(what: string) {
  let mark!: () => void;
  const reached = new Promise<void>((resolve) => (mark = resolve));
  const wait = () =>
    Promise.race([
      reached,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`${what} never started: the jobs did not run in parallel`)), PARALLEL_WAIT_MS),
      ),
    ]);
  return { mark, wait };
}
const echo1Started = signal('print-user__echo1');
const auditStarted = signal('audit__record');

beforeAll(async () => {
  stack = await startTestStack();
  worker = stack.ws.worker('declarative-test', { declarative: { dir: resolve(fixtures, 'signup') }, handleSignals: false });
  worker
    .registerAction('echo:echo', async (input: Record<string, unknown>, ctx: Context) => {
      calls.push({ task: ctx.taskName, input, runInput: ctx.input });
      // The first step of one job and the only step of the other wait for each other: serial jobs would time out.
      if (ctx.taskName === 'print-user__echo1') {
        echo1Started.mark();
        await auditStarted.wait();
      }
      return input;
    })
    .registerAction('audit:record', async (input: { email: string }, ctx) => {
      calls.push({ task: ctx.taskName, input, runInput: ctx.input });
      auditStarted.mark();
      await echo1Started.wait();
      return { recorded: input.email };
    });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

describe('declarative YAML workflows', () => {
  it('an event runs both jobs in parallel, the steps of a job in order, with templated inputs', async () => {
    const payload = { user: { username: 'ada', email: 'ada@example.com', age: 36 } };
    const pushed = await stack.ws.events.push('user:create', payload);
    expect(pushed.runIds).toHaveLength(1);
    const run = await stack.ws.waitForRun(pushed.runIds[0]!);
    expect(run.error ?? null).toBeNull();
    expect(run).toMatchObject({ workflow: 'post-user-sign-up', status: 'SUCCEEDED' });

    const echo1 = { message: 'Username is ada', user: payload.user };
    const echo2 = { message: 'Email is ada@example.com', age: 36, previous: 'Username is ada' };
    const record = { email: 'ada@example.com', tags: ['signup', 'ada'], details: { age: 36 } };
    expect(run.output).toEqual({ 'print-user__echo1': echo1, 'print-user__echo2': echo2, audit__record: { recorded: 'ada@example.com' } });
    // Types are kept where a value is exactly one template: an object, a number.
    expect([...calls].sort((a, b) => a.task.localeCompare(b.task))).toEqual([
      { task: 'audit__record', input: record, runInput: payload },
      { task: 'print-user__echo1', input: echo1, runInput: payload },
      { task: 'print-user__echo2', input: echo2, runInput: payload },
    ]);

    const tasks = await stack.prisma.taskRun.findMany({ where: { workflowRunId: run.id } });
    const byName = Object.fromEntries(tasks.map((t) => [t.taskName, t]));
    expect(tasks.map((t) => [t.taskName, t.status, t.parents]).sort()).toEqual([
      ['audit__record', 'SUCCEEDED', []],
      ['print-user__echo1', 'SUCCEEDED', []],
      ['print-user__echo2', 'SUCCEEDED', ['print-user__echo1']],
    ]);
    expect(byName['print-user__echo2']!.startedAt!.getTime()).toBeGreaterThanOrEqual(byName['print-user__echo1']!.finishedAt!.getTime());

    const version = await stack.prisma.workflowVersion.findFirstOrThrow({ where: { workflow: { name: 'post-user-sign-up' } } });
    expect(version.definition).toMatchObject({
      description: 'Greets a new user and records the sign-up (version v0.2.0)',
      onEvents: ['user:create'],
      tasks: expect.arrayContaining([expect.objectContaining({ name: 'print-user__echo1', executionTimeout: '30s' })]),
    });
  });

  it('a bad file fails worker.start() with file:line:column and the reason, before registering', async () => {
    const bad = stack.ws.worker('declarative-bad', { declarative: { dir: resolve(fixtures, 'bad') }, handleSignals: false });
    bad.registerAction('echo:echo', (input) => input);
    const error = await bad.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeclarativeWorkflowError);
    const file = 'tests/fixtures/declarative/bad/broken.yaml';
    expect((error as Error).message.split('\n')).toEqual([
      `Invalid declarative workflow (2 problems in ${file}):`,
      `  ${file}:8:9: jobs.print-user.steps[0].action: must be "integration:action" (letters, digits, "-" and "_" on each side of one ":"), e.g. "echo:echo"`,
      `  ${file}:10:11: jobs.print-user.steps[0].with.message: template error: unclosed "{{" at character 4: close it with "}}"`,
    ]);
    expect(await stack.prisma.workflow.findFirst({ where: { name: 'broken-sign-up' } })).toBeNull();
  });

  it('a step whose action no one registered fails worker.start() naming it and the registered actions', async () => {
    const incomplete = stack.ws.worker('declarative-incomplete', {
      declarative: { dir: resolve(fixtures, 'signup') },
      handleSignals: false,
    });
    incomplete.registerAction('echo:echo', (input) => input);
    await expect(incomplete.start()).rejects.toThrow(
      "tests/fixtures/declarative/signup/post-user-sign-up.yaml: workflow 'post-user-sign-up': step 'record' of job 'audit' uses action 'audit:record', which no registerAction() provides (registered actions: echo:echo)",
    );
    expect(() => worker.registerAction('late:action', () => null)).toThrow(
      "registerAction('late:action'): register actions before worker.start()",
    );
  });
});
