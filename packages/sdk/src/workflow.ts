import { NAME_PATTERN, type RunSummary, type WorkflowDefinition } from './contract.js';
import type { Context } from './context.js';

/** A handle on a defined task, used in `parents` and `ctx.parentOutput()`. */
export interface TaskRef<R = unknown> {
  readonly workflow: string;
  readonly name: string;
  /** Type-only: carries the task's output type. */
  readonly __output?: R;
}

export type TaskFn<I, R> = (input: I, ctx: Context<I>) => R | Promise<R>;

export interface TaskOptions<I, R> {
  name: string;
  parents?: readonly TaskRef[];
  fn: TaskFn<I, R>;
}

export interface RunOptions {
  additionalMetadata?: Record<string, string>;
}

/** How workflows reach the server; implemented by the Whetstone client. */
export interface RunClient {
  triggerRun(workflow: string, input: unknown, opts?: RunOptions): Promise<string>;
  waitForRun(runId: string): Promise<RunSummary>;
}

/** A run started without waiting; `result()` resolves with its output or rejects with its error. */
export class RunRef<O> {
  constructor(
    readonly runId: string,
    private readonly client: RunClient,
  ) {}

  async result(): Promise<O> {
    const run = await this.client.waitForRun(this.runId);
    if (run.status === 'SUCCEEDED') return run.output as O;
    throw new WhetstoneRunError(this.runId, run.status, run.error ?? `run ${run.status.toLowerCase()}`);
  }
}

export class WhetstoneRunError extends Error {
  constructor(
    readonly runId: string,
    readonly status: string,
    message: string,
  ) {
    super(`Run ${runId} ${status}: ${message}`);
    this.name = 'WhetstoneRunError';
  }
}

interface DefinedTask {
  name: string;
  parents: string[];
  fn: TaskFn<any, unknown>;
}

export class Workflow<I = unknown, O = Record<string, unknown>> {
  readonly name: string;
  readonly description?: string;
  private readonly tasks: DefinedTask[] = [];

  constructor(
    private readonly client: RunClient,
    opts: { name: string; description?: string },
    private readonly kind: 'workflow' | 'task' = 'workflow',
  ) {
    assertName('workflow', opts.name);
    this.name = opts.name;
    this.description = opts.description;
  }

  task<R>(opts: TaskOptions<I, R>): TaskRef<R> {
    assertName(`task of workflow '${this.name}'`, opts.name);
    if (this.tasks.some((t) => t.name === opts.name)) {
      throw new Error(`Workflow '${this.name}' already has a task named '${opts.name}'`);
    }
    const parents = (opts.parents ?? []).map((parent) => {
      if (parent.workflow !== this.name) {
        throw new Error(`Task '${opts.name}' of workflow '${this.name}' has parent '${parent.name}' from workflow '${parent.workflow}'`);
      }
      return parent.name;
    });
    this.tasks.push({ name: opts.name, parents, fn: opts.fn });
    return { workflow: this.name, name: opts.name };
  }

  /** Runs the workflow and resolves with its output (rejects with WhetstoneRunError if it fails). */
  async run(input: I, opts?: RunOptions): Promise<O> {
    return (await this.runNoWait(input, opts)).result();
  }

  async runNoWait(input: I, opts?: RunOptions): Promise<RunRef<O>> {
    const runId = await this.client.triggerRun(this.name, input, opts);
    return new RunRef<O>(runId, this.client);
  }

  definition(): WorkflowDefinition {
    return {
      name: this.name,
      description: this.description,
      kind: this.kind,
      tasks: this.tasks.map(({ name, parents }) => ({ name, parents })),
    };
  }

  /** @internal used by the worker to execute a task job. */
  taskFn(name: string): TaskFn<I, unknown> | undefined {
    return this.tasks.find((t) => t.name === name)?.fn;
  }

  /** @internal */
  taskNames(): string[] {
    return this.tasks.map((t) => t.name);
  }
}

function assertName(what: string, name: string): void {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new Error(
      `Invalid ${what} name ${JSON.stringify(name)}: use letters, digits, "-" and "_", starting with a letter or digit (max 100)`,
    );
  }
}
