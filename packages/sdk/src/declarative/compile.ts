import type { Context } from '../context/context.js';
import { NonRetryableError } from '../worker/errors.js';
import type { Workflow, WorkflowOptions } from '../workflow/workflow.js';
import type { TaskRef } from '../workflow/workflow.interface.js';
import type { ActionMap } from './actions.js';
import { stepTaskName } from './checks.js';
import type { DeclarativeJob, DeclarativeStep, DeclarativeWorkflowSpec } from './parse.js';
import { TemplateValueError, referencedSteps, renderTemplates, templateStrings } from './template.js';

/** What builds the Workflow: a Whetstone client (`ws`), or anything with the same `workflow()`. */
export interface WorkflowFactory {
  workflow(opts: WorkflowOptions<any>): Workflow<any, any>;
}

/**
 * Turns a checked spec into a normal Workflow: each step is a task `<job>__<stepId>` that runs after
 * the previous step of its job (and after any step its templates read); jobs are independent
 * branches, so they run in parallel. Throws if a step's action is not among `actions`.
 */
export function compileDeclarativeWorkflow(
  spec: DeclarativeWorkflowSpec,
  factory: WorkflowFactory,
  actions: ActionMap,
): Workflow<any, any> {
  assertActionsProvided(spec, actions);
  const workflow = factory.workflow({
    name: spec.name,
    description: describe(spec),
    on: { event: spec.events, cron: spec.crons },
  });
  for (const job of spec.jobs) {
    const refs = new Map<string, TaskRef>();
    let previous: TaskRef | undefined;
    for (const step of job.steps) {
      const parents = new Set<TaskRef>(previous ? [previous] : []);
      for (const id of stepsReadBy(step)) parents.add(refs.get(id)!);
      previous = workflow.task({
        name: step.taskName,
        parents: [...parents],
        executionTimeout: step.timeout,
        retries: step.retries,
        fn: (_input: unknown, ctx: Context<any>) => runStep(spec, job, step, actions, ctx),
      });
      refs.set(step.id, previous);
    }
  }
  return workflow;
}

async function runStep(
  spec: DeclarativeWorkflowSpec,
  job: DeclarativeJob,
  step: DeclarativeStep,
  actions: ActionMap,
  ctx: Context<any>,
): Promise<unknown> {
  const action = actions.get(step.action);
  if (!action) throw new NonRetryableError(`Step '${step.id}' of workflow '${spec.name}': no action '${step.action}' is registered`);
  let input: unknown;
  try {
    input = renderTemplates(step.with, { input: ctx.input, stepOutput: (id) => ctx.parentOutput(stepTaskName(job.name, id)) });
  } catch (err) {
    // The same input gives the same missing value: retrying cannot help.
    if (err instanceof TemplateValueError)
      throw new NonRetryableError(`Step '${step.id}' (${step.action}) in ${spec.file}: ${err.message}`);
    throw err;
  }
  return action(input as Record<string, unknown>, ctx);
}

function stepsReadBy(step: DeclarativeStep): Set<string> {
  return new Set([...templateStrings(step.with)].flatMap(({ text }) => referencedSteps(text)));
}

function describe(spec: DeclarativeWorkflowSpec): string | undefined {
  if (!spec.version) return spec.description;
  return spec.description ? `${spec.description} (version ${spec.version})` : `Version ${spec.version}`;
}

function assertActionsProvided(spec: DeclarativeWorkflowSpec, actions: ActionMap): void {
  const missing = spec.jobs.flatMap((job) =>
    job.steps
      .filter((step) => !actions.has(step.action))
      .map((step) => `step '${step.id}' of job '${job.name}' uses action '${step.action}'`),
  );
  if (!missing.length) return;
  const registered = actions.size ? [...actions.keys()].sort().join(', ') : 'none';
  throw new Error(
    `${spec.file}: workflow '${spec.name}': ${missing.join('; ')}, which no registerAction() provides (registered actions: ${registered})`,
  );
}
