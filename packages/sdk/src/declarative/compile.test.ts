import { describe, expect, it } from 'vitest';
import type { Context } from '../context/context';
import { NonRetryableError } from '../worker/errors';
import type { RunClient } from '../client/client.interface';
import { Workflow } from '../workflow/workflow';
import type { ActionFn } from './actions';
import { compileDeclarativeWorkflow, type WorkflowFactory } from './compile';
import { parseDeclarativeWorkflow } from './parse';

const client = {} as RunClient;
const factory: WorkflowFactory = { workflow: (opts) => new Workflow(client, opts) };

const YAML = `name: sign-up
version: v0.2.0
description: Greets new users
on:
  events: [user:create]
  crons: ["0 9 * * *"]
jobs:
  print-user:
    steps:
      - id: echo1
        action: echo:echo
        timeout: 45s
        retries: 2
        with:
          message: "Username is {{ .user.username }}"
      - id: echo2
        action: echo:echo
        with:
          message: "Email is {{ .user.email }}"
      - id: echo3
        action: echo:echo
        with:
          first: "{{ .steps.echo1.message }}"
  audit:
    steps:
      - id: record
        action: audit:record
`;

const spec = parseDeclarativeWorkflow(YAML, '.whetstone/sign-up.yaml');
const echo: ActionFn = (input) => input;
const actions = new Map<string, ActionFn>([
  ['echo:echo', echo],
  ['audit:record', () => ({ recorded: true })],
]);

/** Just what a step reads from its context. */
function fakeContext(input: unknown, parentOutputs: Record<string, unknown> = {}): Context<any> {
  return {
    input,
    parentOutput: (name: string) => {
      if (!(name in parentOutputs)) throw new Error(`no parent ${name}`);
      return parentOutputs[name];
    },
  } as unknown as Context<any>;
}

describe('compileDeclarativeWorkflow', () => {
  it('makes a task per step: chained within a job, jobs in parallel, steps read by templates as parents', () => {
    const definition = compileDeclarativeWorkflow(spec, factory, actions).definition();
    expect(definition).toMatchObject({
      name: 'sign-up',
      description: 'Greets new users (version v0.2.0)',
      onEvents: ['user:create'],
      onCrons: ['0 9 * * *'],
    });
    expect(definition.tasks.map(({ name, parents, executionTimeout, retries }) => ({ name, parents, executionTimeout, retries }))).toEqual([
      { name: 'print-user__echo1', parents: [], executionTimeout: '45s', retries: 2 },
      { name: 'print-user__echo2', parents: ['print-user__echo1'], executionTimeout: '60s', retries: 0 },
      { name: 'print-user__echo3', parents: ['print-user__echo2', 'print-user__echo1'], executionTimeout: '60s', retries: 0 },
      { name: 'audit__record', parents: [], executionTimeout: '60s', retries: 0 },
    ]);
  });

  it("runs the step's action with its templated `with` values and the context", async () => {
    const calls: unknown[] = [];
    const recording = new Map<string, ActionFn>([
      ['echo:echo', (input, ctx) => (calls.push({ input, runInput: ctx.input }), { echoed: input })],
      ['audit:record', () => null],
    ]);
    const workflow = compileDeclarativeWorkflow(spec, factory, recording);
    const input = { user: { username: 'ada', email: 'ada@example.com' } };
    expect(await workflow.taskFn('print-user__echo1')!(input, fakeContext(input))).toEqual({ echoed: { message: 'Username is ada' } });
    const third = workflow.taskFn('print-user__echo3')!(input, fakeContext(input, { 'print-user__echo1': { message: 'Username is ada' } }));
    expect(await third).toEqual({ echoed: { first: 'Username is ada' } });
    expect(calls).toEqual([
      { input: { message: 'Username is ada' }, runInput: input },
      { input: { first: 'Username is ada' }, runInput: input },
    ]);
  });

  it('fails a step without retries when a template path is missing', async () => {
    const workflow = compileDeclarativeWorkflow(spec, factory, actions);
    const run = Promise.resolve(workflow.taskFn('print-user__echo2')!({ user: {} }, fakeContext({ user: {} })));
    await expect(run).rejects.toBeInstanceOf(NonRetryableError);
    await expect(run).rejects.toThrow(
      `Step 'echo2' (echo:echo) in .whetstone/sign-up.yaml: with.message: template {{ .user.email }} has no value: the run input has no "email" at .user (.user is an object)`,
    );
  });

  it('refuses a spec whose actions are not registered, naming file, workflow, steps and what is registered', () => {
    expect(() => compileDeclarativeWorkflow(spec, factory, new Map([['echo:echo', echo]]))).toThrow(
      ".whetstone/sign-up.yaml: workflow 'sign-up': step 'record' of job 'audit' uses action 'audit:record', which no registerAction() provides (registered actions: echo:echo)",
    );
    expect(() => compileDeclarativeWorkflow(spec, factory, new Map())).toThrow(
      /uses action 'echo:echo'; step 'echo2'.*\(registered actions: none\)$/,
    );
  });
});
