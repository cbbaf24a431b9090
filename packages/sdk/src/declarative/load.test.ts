import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunClient } from '../client/client.interface';
import { Workflow } from '../workflow/workflow';
import type { ActionFn } from './actions';
import type { WorkflowFactory } from './compile';
import { DeclarativeWorkflowError } from './errors';
import { loadDeclarativeWorkflows } from './load';
import { workerWorkflows } from './worker-workflows';

const factory: WorkflowFactory = { workflow: (opts) => new Workflow({} as RunClient, opts) };
const actions = new Map<string, ActionFn>([['echo:echo', (input) => input]]);
const workflowYaml = (name: string) => `name: ${name}\njobs:\n  j:\n    steps:\n      - id: s\n        action: echo:echo\n`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ws-declarative-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadDeclarativeWorkflows', () => {
  it('loads *.yaml and *.yml files of the folder in name order, and nothing else', async () => {
    await writeFile(join(dir, 'b.yml'), workflowYaml('second'));
    await writeFile(join(dir, 'a.yaml'), workflowYaml('first'));
    await writeFile(join(dir, 'notes.txt'), 'not: a workflow');
    await mkdir(join(dir, 'nested.yaml'));
    const workflows = await loadDeclarativeWorkflows(factory, dir, { 'echo:echo': (input) => input });
    expect(workflows.map((w) => w.name)).toEqual(['first', 'second']);
    expect(workflows.every((w) => w instanceof Workflow)).toBe(true);
  });

  it('reports the problems of every bad file in one error', async () => {
    await writeFile(join(dir, 'good.yaml'), workflowYaml('good'));
    await writeFile(join(dir, 'one.yaml'), 'name: one\njobs:\n  j:\n    steps:\n      - id: s\n        action: nope\n');
    await writeFile(join(dir, 'two.yml'), 'name: two\njobs: [\n');
    const error = await loadDeclarativeWorkflows(factory, dir, actions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeclarativeWorkflowError);
    const problems = (error as DeclarativeWorkflowError).problems;
    expect(problems.map((p) => [p.file, p.line, p.column])).toEqual([
      [join(dir, 'one.yaml'), 6, 9],
      [join(dir, 'two.yml'), 3, 1],
    ]);
    expect((error as Error).message).toContain(
      `Invalid declarative workflow (2 problems in 2 files):\n  ${join(dir, 'one.yaml')}:6:9: jobs.j.steps[0].action: must be`,
    );
  });

  it('refuses a workflow name used by two files, a missing folder, and missing actions', async () => {
    await writeFile(join(dir, 'a.yaml'), workflowYaml('same'));
    await writeFile(join(dir, 'b.yaml'), workflowYaml('same'));
    await expect(loadDeclarativeWorkflows(factory, dir, actions)).rejects.toThrow(
      `Declarative workflow 'same' is defined twice: in ${join(dir, 'a.yaml')} and in ${join(dir, 'b.yaml')}`,
    );
    await expect(loadDeclarativeWorkflows(factory, join(dir, 'missing'), actions)).rejects.toThrow(
      /Cannot read the declarative workflow folder .*missing: it does not exist/,
    );
    await rm(join(dir, 'b.yaml'));
    await expect(loadDeclarativeWorkflows(factory, dir)).rejects.toThrow(
      /uses action 'echo:echo', which no registerAction\(\) provides \(registered actions: none\)/,
    );
  });
});

describe('workerWorkflows', () => {
  const code = new Workflow({} as RunClient, { name: 'in-code' });
  code.task({ name: 't', fn: () => 1 });

  it('adds the YAML files of ./.whetstone when that folder exists', async () => {
    await mkdir(join(dir, '.whetstone'));
    await writeFile(join(dir, '.whetstone', 'w.yaml'), workflowYaml('from-yaml'));
    const all = await workerWorkflows({ worker: 'w', workflows: [code], actions, cwd: dir });
    expect(all.map((w) => w.name)).toEqual(['in-code', 'from-yaml']);
    expect(all[1]!.definition().tasks.map((t) => t.name)).toEqual(['j__s']);
    // Loaded by a worker, the handle explains that it cannot trigger runs itself.
    await expect(all[1]!.runNoWait({})).rejects.toThrow(/loaded by worker 'w', which cannot trigger runs/);
    expect((await workerWorkflows({ worker: 'w', workflows: [code], declarative: false, actions, cwd: dir })).map((w) => w.name)).toEqual([
      'in-code',
    ]);
  });

  it('uses only code workflows when there is no ./.whetstone, and an explicit folder when given', async () => {
    expect((await workerWorkflows({ worker: 'w', workflows: [code], actions, cwd: dir })).map((w) => w.name)).toEqual(['in-code']);
    await mkdir(join(dir, 'flows'));
    await writeFile(join(dir, 'flows', 'w.yml'), workflowYaml('only-yaml'));
    expect((await workerWorkflows({ worker: 'w', declarative: { dir: 'flows' }, actions, cwd: dir })).map((w) => w.name)).toEqual([
      'only-yaml',
    ]);
    await expect(workerWorkflows({ worker: 'w', declarative: { dir: 'absent' }, actions, cwd: dir })).rejects.toThrow(/it does not exist/);
  });

  it('refuses a worker without workflows, or with one name twice', async () => {
    await expect(workerWorkflows({ worker: 'w', actions, cwd: dir })).rejects.toThrow(
      `Worker 'w' has no workflows: pass { workflows } or declarative YAML files (there is no .whetstone folder in ${dir})`,
    );
    await mkdir(join(dir, '.whetstone'));
    await writeFile(join(dir, '.whetstone', 'w.yaml'), workflowYaml('in-code'));
    await expect(workerWorkflows({ worker: 'w', workflows: [code], actions, cwd: dir })).rejects.toThrow(
      "Worker 'w' has workflow 'in-code' twice (check its workflows and its YAML files)",
    );
  });
});
