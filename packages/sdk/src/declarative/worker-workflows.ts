import { resolve } from 'node:path';
import type { RunClient } from '../client/client.interface.js';
import { Workflow } from '../workflow/workflow.js';
import type { ActionMap } from './actions.js';
import type { WorkflowFactory } from './compile.js';
import { displayPath, isDirectory, loadDeclarativeWorkflows } from './load.js';

/** Where a worker looks for YAML workflows: `{ dir }`, or false for nowhere. */
export type DeclarativeOption = { dir?: string } | false;

/** Without `declarative`, a worker loads this folder of the working directory when it exists. */
export const DEFAULT_DECLARATIVE_DIR = '.whetstone';

/**
 * The workflows a worker registers at start: the ones given in code plus the YAML files of its
 * declarative folder, compiled with its registered actions. Throws when there are none, or a name
 * appears twice.
 */
export async function workerWorkflows(opts: {
  worker: string;
  workflows?: ReadonlyArray<Workflow<any, any>>;
  declarative?: DeclarativeOption;
  actions: ActionMap;
  cwd?: string;
}): Promise<Workflow<any, any>[]> {
  const dir = await declarativeDir(opts.declarative, opts.cwd ?? process.cwd());
  const loaded = dir ? await loadDeclarativeWorkflows(detachedFactory(opts.worker), dir, opts.actions) : [];
  const all = [...(opts.workflows ?? []), ...loaded];
  if (!all.length) {
    const where = dir
      ? `${displayPath(dir)} has no *.yaml or *.yml files`
      : `there is no ${DEFAULT_DECLARATIVE_DIR} folder in ${opts.cwd ?? process.cwd()}`;
    throw new Error(`Worker '${opts.worker}' has no workflows: pass { workflows } or declarative YAML files (${where})`);
  }
  const names = all.map((w) => w.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`Worker '${opts.worker}' has workflow '${dup}' twice (check its workflows and its YAML files)`);
  return all;
}

async function declarativeDir(option: DeclarativeOption | undefined, cwd: string): Promise<string | undefined> {
  if (option === false) return undefined;
  if (option?.dir !== undefined) return resolve(cwd, option.dir); // given explicitly: a missing folder is an error when read
  const fallback = resolve(cwd, DEFAULT_DECLARATIVE_DIR);
  return (await isDirectory(fallback)) ? fallback : undefined;
}

/**
 * The worker only needs definitions and task functions; triggering goes through the client.
 * These handles say so instead of failing obscurely.
 */
function detachedFactory(worker: string): WorkflowFactory {
  const refuse = (): Promise<never> =>
    Promise.reject(
      new Error(
        `This declarative workflow was loaded by worker '${worker}', which cannot trigger runs: push one of its events, or get runnable handles with loadDeclarativeWorkflows(ws, dir, actions)`,
      ),
    );
  const client: RunClient = { triggerRun: refuse, waitForRun: refuse, getRun: refuse, cancelRun: refuse };
  return { workflow: (opts) => new Workflow(client, opts) };
}
