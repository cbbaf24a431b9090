// What the task context needs of tasks and workflows (`ctx.parentOutput(task)`, `ctx.runChild(workflow)`),
// so that context/ depends on these types and not on the Workflow class, which depends on it.
import type { RunOptions } from '../client/client.interface.js';
import type { RunRef } from './run-ref.js';

/** A handle on a defined task, used in `parents` and `ctx.parentOutput()`. */
export interface TaskRef<R = unknown> {
  readonly workflow: string;
  readonly name: string;
  /** Type-only: carries the task's output type. */
  readonly __output?: R;
}

/** A workflow or standalone task (`ws.workflow()`, `ws.task()`) as a context runs it as a child run. */
export interface RunnableWorkflow<I = unknown, O = unknown> {
  readonly name: string;
  runNoWait(input: I, opts?: RunOptions): Promise<RunRef<O>>;
}
