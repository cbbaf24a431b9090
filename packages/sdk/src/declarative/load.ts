import { readFile, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Workflow } from '../workflow/workflow.js';
import { toActionMap, type ActionFn, type ActionMap } from './actions.js';
import { compileDeclarativeWorkflow, type WorkflowFactory } from './compile.js';
import { DeclarativeWorkflowError, type DeclarativeProblem } from './errors.js';
import { parseDeclarativeWorkflow, type DeclarativeWorkflowSpec } from './parse.js';

const EXTENSIONS = ['.yaml', '.yml'];

/**
 * Loads every `*.yaml` / `*.yml` file directly in `dir` (sorted by name) as a Workflow built with
 * `ws.workflow()`, whose steps run `actions`. A bad file throws a DeclarativeWorkflowError listing
 * every problem of every file as `file:line:column: reason`; a step whose action is missing throws too.
 */
export async function loadDeclarativeWorkflows(
  ws: WorkflowFactory,
  dir: string,
  actions?: Readonly<Record<string, ActionFn<any>>> | ActionMap,
): Promise<Workflow<any, any>[]> {
  const specs = await readDeclarativeWorkflows(dir);
  const actionMap = toActionMap(actions);
  return specs.map((spec) => compileDeclarativeWorkflow(spec, ws, actionMap));
}

/** Parses every workflow file in `dir`, collecting the problems of all files into one error. */
export async function readDeclarativeWorkflows(dir: string): Promise<DeclarativeWorkflowSpec[]> {
  const root = resolve(dir);
  const entries = await readdir(root, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new Error(
      `Cannot read the declarative workflow folder ${displayPath(root)}: ${err.code === 'ENOENT' ? 'it does not exist' : err.message}`,
    );
  });
  const files = entries
    .filter((entry) => entry.isFile() && EXTENSIONS.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => entry.name)
    .sort();
  const specs: DeclarativeWorkflowSpec[] = [];
  const problems: DeclarativeProblem[] = [];
  for (const name of files) {
    const path = join(root, name);
    try {
      specs.push(parseDeclarativeWorkflow(await readFile(path, 'utf8'), displayPath(path)));
    } catch (err) {
      if (!(err instanceof DeclarativeWorkflowError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length) throw new DeclarativeWorkflowError(problems);
  const seen = new Map<string, string>();
  for (const spec of specs) {
    const first = seen.get(spec.name);
    if (first) throw new Error(`Declarative workflow '${spec.name}' is defined twice: in ${first} and in ${spec.file}`);
    seen.set(spec.name, spec.file);
  }
  return specs;
}

/** Relative to the working directory when inside it: short, and clickable in most terminals. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Whether `dir` exists and is a folder. */
export async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
