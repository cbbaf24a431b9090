import { z } from 'zod';
import {
  NAME_PATTERN,
  concurrencySchema,
  cronProblem,
  durationProblem,
  taskRateLimitSchema,
  type Backoff,
  type Concurrency,
  type ConcurrencyStrategy,
  type RateLimitDuration,
  type TaskRateLimit,
  type WorkflowDefinition,
} from '../contract.js';
import { DeclaredChecks, type OutputChecks } from './checks.js';
import type { Context } from '../context/context.js';
import type { DurableTaskFn } from '../context/durable-context.js';
import type { Schedule, ScheduleClient, ScheduleOptions } from '../client/schedules.js';
import { mapBounded } from '../client/bulk.js';
import type { RunClient, RunOptions } from '../client/client.interface.js';
import { RunRef } from './run-ref.js';
import type { RunnableWorkflow, TaskRef } from './workflow.interface.js';

/** Result long-polls of one runMany open at once. */
const WAIT_PARALLELISM = 32;
/** Trigger requests of one runNoWaitMany in flight at once, on a client without bulk triggers. */
const TRIGGER_PARALLELISM = 8;

export type TaskFn<I, R> = (input: I, ctx: Context<I>) => R | Promise<R>;

/** Hatchet v1's task options. */
export interface TaskPolicyOptions {
  /** Further attempts after a failed one (default 0). A worker that dies mid-task does not use these up. */
  retries?: number;
  /** Retry k waits min(factor^k, maxSeconds) seconds; without it, retries start at once. */
  backoff?: Backoff;
  /** Longest an attempt may run, e.g. '30s', '5m', '1h30m' (default '60s'); then ctx.abortSignal fires and the attempt fails as timed out. */
  executionTimeout?: string;
  /** Longest the task may wait for a worker (default '5m'); then it fails without running. */
  scheduleTimeout?: string;
  /** Task runs of one key (over all runs of the workflow) running at once; the others wait their turn. */
  concurrency?: ConcurrencyOption | readonly ConcurrencyOption[];
  /** Rate limits this task uses: `{ staticKey: 'openai', units: 1 }` (see `ws.ratelimits.upsert`) or `{ dynamicKey: 'input.userId', limit: 10, duration: 'MINUTE' }`. */
  rateLimits?: readonly RateLimitOption[];
}

/** `expression` picks the group key from the run: `'input.customerId'` or `'additionalMetadata.tenant'`. */
export interface ConcurrencyOption {
  expression: string;
  /** Runs of one key at once (default 1). */
  maxRuns?: number;
  /** Default GROUP_ROUND_ROBIN (wait your turn); CANCEL_IN_PROGRESS and CANCEL_NEWEST apply to workflows only. */
  limitStrategy?: ConcurrencyStrategy;
}

export interface RateLimitOption {
  staticKey?: string;
  dynamicKey?: string;
  /** Units one run of the task uses (default 1). */
  units?: number;
  /** With dynamicKey: the limit per key and its window. */
  limit?: number;
  duration?: RateLimitDuration;
}

export interface TaskOptions<I, R> extends TaskPolicyOptions {
  name: string;
  parents?: readonly TaskRef[];
  fn: TaskFn<I, R>;
  /** Checks on the output, evaluated by the worker after each successful attempt and shown with the run (they never fail the task). */
  checks?: OutputChecks<R>;
}

/** A durable task's options: its `fn` gets a DurableContext (`ctx.sleepFor`, `ctx.waitForEvent`, `ctx.spawnChild`). */
export interface DurableTaskOptions<I, R> extends Omit<TaskOptions<I, R>, 'fn'> {
  fn: DurableTaskFn<I, R>;
}

export interface WorkflowOptions<I = unknown> {
  name: string;
  description?: string;
  /** Triggers: events (wildcards such as 'ticket:*') and crons (UTC) that start a run. */
  on?: { event?: string | readonly string[]; cron?: string | readonly string[] };
  onEvents?: readonly string[];
  onCrons?: readonly string[];
  /** 1 (default) to 3 (most urgent): the priority of runs that do not set one. */
  defaultPriority?: 1 | 2 | 3;
  /** A zod schema: bad input is refused when the run is triggered, with zod's message. */
  inputValidator?: z.ZodType<I>;
  /** Runs of one key running at once, e.g. `{ expression: 'input.customerId', maxRuns: 1, limitStrategy: 'GROUP_ROUND_ROBIN' }`. */
  concurrency?: ConcurrencyOption | readonly ConcurrencyOption[];
}

/** One run of a bulk trigger (`wf.runNoWaitMany`): Hatchet's `{ input, options }`. */
export interface BulkRunItem<I = unknown> {
  input: I;
  options?: RunOptions;
}

interface DefinedTask extends Omit<TaskPolicyOptions, 'concurrency' | 'rateLimits'> {
  name: string;
  parents: string[];
  fn: TaskFn<any, unknown>;
  concurrency?: Concurrency[];
  rateLimits?: TaskRateLimit[];
  durable?: boolean;
  checks?: DeclaredChecks;
}

export class Workflow<I = unknown, O = Record<string, unknown>> implements RunnableWorkflow<I, O> {
  readonly name: string;
  readonly description?: string;
  private readonly tasks: DefinedTask[] = [];
  private failureTask?: DefinedTask;
  private readonly onEvents: string[];
  private readonly onCrons: string[];
  private readonly defaultPriority: 1 | 2 | 3;
  private readonly inputValidator?: z.ZodType<I>;
  private readonly concurrency?: Concurrency[];

  constructor(
    protected readonly client: RunClient,
    opts: WorkflowOptions<I>,
    private readonly kind: 'workflow' | 'task' = 'workflow',
    private readonly scheduler?: ScheduleClient,
  ) {
    assertName('workflow', opts.name);
    this.name = opts.name;
    this.description = opts.description;
    this.onEvents = [...asList(opts.on?.event), ...(opts.onEvents ?? [])];
    this.onCrons = [...asList(opts.on?.cron), ...(opts.onCrons ?? [])];
    for (const key of this.onEvents) {
      if (typeof key !== 'string' || !key || key.length > 200)
        throw new Error(`Workflow '${this.name}': invalid event key ${JSON.stringify(key)} (1-200 characters)`);
    }
    for (const expression of this.onCrons) {
      const problem = cronProblem(expression);
      if (problem) throw new Error(`Workflow '${this.name}': ${problem}`);
    }
    this.defaultPriority = opts.defaultPriority ?? 1;
    assertPriority(`Workflow '${this.name}' defaultPriority`, this.defaultPriority);
    this.inputValidator = opts.inputValidator;
    this.concurrency = concurrencyOf(`Workflow '${this.name}'`, opts.concurrency, true);
  }

  task<R>(opts: TaskOptions<I, R>): TaskRef<R> {
    return this.addTask(opts, false);
  }

  /**
   * A durable task: `ctx.sleepFor()`, `ctx.waitForEvent()` and `ctx.spawnChild()` are steps whose
   * results are recorded; the task survives worker and engine restarts (completed steps are
   * replayed from their results, not run again) and holds no worker slot while it waits. Code
   * between steps runs again on each resume: keep it deterministic.
   */
  durableTask<R>(opts: DurableTaskOptions<I, R>): TaskRef<R> {
    return this.addTask(opts as unknown as TaskOptions<I, R>, true);
  }

  private addTask<R>(opts: TaskOptions<I, R>, durable: boolean): TaskRef<R> {
    assertName(`task of workflow '${this.name}'`, opts.name);
    if (this.tasks.some((t) => t.name === opts.name) || this.failureTask?.name === opts.name) {
      throw new Error(`Workflow '${this.name}' already has a task named '${opts.name}'`);
    }
    assertPolicy(`Task '${opts.name}' of workflow '${this.name}'`, opts);
    const parents = (opts.parents ?? []).map((parent) => {
      if (parent.workflow !== this.name) {
        throw new Error(`Task '${opts.name}' of workflow '${this.name}' has parent '${parent.name}' from workflow '${parent.workflow}'`);
      }
      return parent.name;
    });
    const what = `Task '${opts.name}' of workflow '${this.name}'`;
    this.tasks.push({
      ...policyOf(opts),
      name: opts.name,
      parents,
      fn: opts.fn,
      concurrency: concurrencyOf(what, opts.concurrency, false),
      rateLimits: rateLimitsOf(what, opts.rateLimits),
      durable: durable || undefined,
      checks: DeclaredChecks.of(what, opts.checks),
    });
    return { workflow: this.name, name: opts.name };
  }

  /** A task that runs only when another task of the run failed (after its retries); `ctx.taskErrors()` says which. The run stays FAILED. */
  onFailure(opts: Omit<TaskOptions<I, unknown>, 'parents' | 'concurrency' | 'rateLimits'>): void {
    assertName(`onFailure task of workflow '${this.name}'`, opts.name);
    if (this.failureTask) throw new Error(`Workflow '${this.name}' already has an onFailure task ('${this.failureTask.name}')`);
    if (this.tasks.some((t) => t.name === opts.name)) throw new Error(`Workflow '${this.name}' already has a task named '${opts.name}'`);
    assertPolicy(`onFailure task '${opts.name}' of workflow '${this.name}'`, opts);
    this.failureTask = {
      ...policyOf(opts),
      name: opts.name,
      parents: [],
      fn: opts.fn,
      checks: DeclaredChecks.of(`onFailure task '${opts.name}' of workflow '${this.name}'`, opts.checks),
    };
  }

  /** Runs the workflow and resolves with its output (rejects with WhetstoneRunError if it fails). */
  async run(input: I, opts?: RunOptions): Promise<O> {
    return (await this.runNoWait(input, opts)).result();
  }

  async runNoWait(input: I, opts: RunOptions = {}): Promise<RunRef<O>> {
    if (opts.priority !== undefined) assertPriority(`Run priority of workflow '${this.name}'`, opts.priority);
    const runId = await this.client.triggerRun(this.name, this.validInput(input), opts);
    return new RunRef<O>(runId, this.client);
  }

  /**
   * Starts one run per input, sent in bulk requests, and resolves with their outputs in order (or
   * rejects like Promise.all with the first failed run's WhetstoneRunError). `opts` applies to every
   * run; each run gets its own idempotency key.
   */
  async runMany(inputs: readonly I[], opts: Omit<RunOptions, 'idempotencyKey'> = {}): Promise<O[]> {
    if (!Array.isArray(inputs)) throw new TypeError(`runMany() of workflow '${this.name}': expected an array of inputs`);
    if ((opts as RunOptions).idempotencyKey !== undefined) {
      throw new TypeError(
        `runMany() of workflow '${this.name}': one idempotencyKey for every run would start only one; use runNoWaitMany([{ input, options: { idempotencyKey } }, …])`,
      );
    }
    const refs = await this.runNoWaitMany(inputs.map((input) => ({ input, options: opts })));
    return mapBounded(refs, WAIT_PARALLELISM, (ref) => ref.result());
  }

  /**
   * Starts one run per item (Hatchet's bulk run) and resolves with their RunRefs in order. Items
   * are checked first (input validator, priority; errors name the item), then sent in bulk requests
   * of up to 1000 runs: a request the server refuses (its error names the item) starts none of its
   * runs, but the runs of earlier requests of a very large call stay started.
   */
  async runNoWaitMany(items: ReadonlyArray<BulkRunItem<I>>): Promise<RunRef<O>[]> {
    if (!Array.isArray(items)) throw new TypeError(`runNoWaitMany() of workflow '${this.name}': expected an array of { input, options? }`);
    const runs = items.map((item: BulkRunItem<I>, i) => {
      if (!item || typeof item !== 'object' || !('input' in item)) {
        throw new TypeError(`runNoWaitMany() of workflow '${this.name}': item ${i} is not { input, options? }`);
      }
      const options = item.options ?? {};
      if (options.priority !== undefined) assertPriority(`Item ${i}: run priority of workflow '${this.name}'`, options.priority);
      let input: unknown;
      try {
        input = this.validInput(item.input);
      } catch (err) {
        throw new Error(`Item ${i}: ${(err as Error).message}`);
      }
      return { input, options };
    });
    if (!runs.length) return [];
    const client = this.client;
    const ids = client.triggerRuns
      ? await client.triggerRuns(this.name, runs)
      : await mapBounded(runs, TRIGGER_PARALLELISM, (run) => client.triggerRun(this.name, run.input, run.options));
    return ids.map((id) => new RunRef<O>(id, this.client));
  }

  /** Creates (or replaces, by name) a cron that starts this workflow with `input`; expressions are UTC, 5 fields or 6 with seconds. */
  cron(name: string, expression: string, input?: I, opts?: ScheduleOptions): Promise<Schedule> {
    const problem = cronProblem(expression);
    if (problem) return Promise.reject(new Error(problem));
    return this.scheduleClient().cron(this.name, name, expression, input === undefined ? {} : this.validInput(input), opts);
  }

  /** Starts this workflow once at `date`. */
  schedule(date: Date, input?: I, opts?: ScheduleOptions): Promise<Schedule> {
    return this.scheduleClient().schedule(this.name, date, input === undefined ? {} : this.validInput(input), opts);
  }

  /** Starts this workflow once, `seconds` from now. */
  delay(seconds: number, input?: I, opts?: ScheduleOptions): Promise<Schedule> {
    return this.scheduleClient().delay(this.name, seconds, input === undefined ? {} : this.validInput(input), opts);
  }

  /** This workflow's crons (declared in code and created at runtime). */
  get crons(): { list(): Promise<Schedule[]>; delete(name: string): Promise<void> } {
    return { list: () => this.scheduleClient().listCrons(this.name), delete: (name) => this.scheduleClient().deleteCron(this.name, name) };
  }

  /** This workflow's pending one-off schedules. */
  get schedules(): { list(): Promise<Schedule[]>; delete(id: string): Promise<void> } {
    return { list: () => this.scheduleClient().listSchedules(this.name), delete: (id) => this.scheduleClient().deleteSchedule(id) };
  }

  private scheduleClient(): ScheduleClient {
    if (!this.scheduler) throw new Error(`Workflow '${this.name}' was not created by a Whetstone client: use ws.workflow() to schedule it`);
    return this.scheduler;
  }

  /** The input as the inputValidator parses it; throws with zod's message when it is refused. */
  protected validInput(input: I): unknown {
    if (!this.inputValidator) return input ?? {};
    const result = this.inputValidator.safeParse(input);
    if (!result.success) throw new Error(`Invalid input for workflow '${this.name}': ${z.prettifyError(result.error)}`);
    return result.data;
  }

  definition(): WorkflowDefinition {
    const task = (t: DefinedTask) => ({
      name: t.name,
      parents: t.parents,
      retries: t.retries ?? 0,
      backoff: t.backoff,
      executionTimeout: t.executionTimeout ?? '60s',
      scheduleTimeout: t.scheduleTimeout ?? '5m',
      ...(t.concurrency?.length ? { concurrency: t.concurrency } : {}),
      ...(t.rateLimits?.length ? { rateLimits: t.rateLimits } : {}),
      ...(t.durable ? { durable: true } : {}),
    });
    const failure = this.failureTask ? task(this.failureTask) : undefined;
    return {
      name: this.name,
      description: this.description,
      kind: this.kind,
      tasks: this.tasks.map(task),
      onFailure: failure
        ? {
            name: failure.name,
            retries: failure.retries,
            backoff: failure.backoff,
            executionTimeout: failure.executionTimeout,
            scheduleTimeout: failure.scheduleTimeout,
          }
        : undefined,
      onEvents: this.onEvents,
      onCrons: this.onCrons,
      defaultPriority: this.defaultPriority,
      inputSchema: this.inputValidator ? inputJsonSchema(this.name, this.inputValidator) : undefined,
      ...(this.concurrency?.length ? { concurrency: this.concurrency } : {}),
    };
  }

  /** @internal used by the worker to execute a task job. */
  taskFn(name: string): TaskFn<I, unknown> | undefined {
    return (this.tasks.find((t) => t.name === name) ?? (this.failureTask?.name === name ? this.failureTask : undefined))?.fn;
  }

  /** @internal the task's declared output checks, if any. */
  taskChecks(name: string): DeclaredChecks | undefined {
    return (this.tasks.find((t) => t.name === name) ?? (this.failureTask?.name === name ? this.failureTask : undefined))?.checks;
  }

  /** @internal whether the task is durable (the worker runs it with durable steps). */
  isDurable(name: string): boolean {
    return this.tasks.some((t) => t.name === name && t.durable);
  }

  /** @internal every action this workflow needs a worker for (tasks and the onFailure task). */
  taskNames(): string[] {
    return [...this.tasks.map((t) => t.name), ...(this.failureTask ? [this.failureTask.name] : [])];
  }
}

function asList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

function concurrencyOf(
  what: string,
  option: ConcurrencyOption | readonly ConcurrencyOption[] | undefined,
  workflowLevel: boolean,
): Concurrency[] | undefined {
  if (option === undefined) return undefined;
  const list = Array.isArray(option) ? option : [option as ConcurrencyOption];
  return list.map((rule, i) => {
    const parsed = concurrencySchema.safeParse(rule);
    if (!parsed.success) throw new Error(`${what}: concurrency[${i}]: ${z.prettifyError(parsed.error)}`);
    if (!workflowLevel && parsed.data.limitStrategy !== 'GROUP_ROUND_ROBIN') {
      throw new Error(
        `${what}: concurrency[${i}]: a task's concurrency waits its turn (GROUP_ROUND_ROBIN); ${parsed.data.limitStrategy} applies to workflows`,
      );
    }
    return parsed.data;
  });
}

function rateLimitsOf(what: string, option: readonly RateLimitOption[] | undefined): TaskRateLimit[] | undefined {
  if (option === undefined) return undefined;
  return option.map((limit, i) => {
    const parsed = taskRateLimitSchema.safeParse(limit);
    if (!parsed.success) throw new Error(`${what}: rateLimits[${i}]: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  });
}

function policyOf(opts: TaskPolicyOptions): Pick<TaskPolicyOptions, 'retries' | 'backoff' | 'executionTimeout' | 'scheduleTimeout'> {
  return { retries: opts.retries, backoff: opts.backoff, executionTimeout: opts.executionTimeout, scheduleTimeout: opts.scheduleTimeout };
}

function assertPolicy(what: string, opts: TaskPolicyOptions): void {
  if (opts.retries !== undefined && (!Number.isInteger(opts.retries) || opts.retries < 0 || opts.retries > 100)) {
    throw new Error(`${what}: retries must be an integer from 0 to 100, got ${JSON.stringify(opts.retries)}`);
  }
  if (opts.backoff !== undefined) {
    const { factor, maxSeconds } = opts.backoff;
    if (typeof factor !== 'number' || factor < 1 || factor > 10)
      throw new Error(`${what}: backoff.factor must be a number from 1 to 10, got ${JSON.stringify(factor)}`);
    if (typeof maxSeconds !== 'number' || maxSeconds <= 0)
      throw new Error(`${what}: backoff.maxSeconds must be a positive number, got ${JSON.stringify(maxSeconds)}`);
  }
  for (const key of ['executionTimeout', 'scheduleTimeout'] as const) {
    const value = opts[key];
    if (value === undefined) continue;
    const problem = durationProblem(value);
    if (problem) throw new Error(`${what}: ${key}: ${problem}`);
  }
}

function assertPriority(what: string, priority: number): void {
  if (![1, 2, 3].includes(priority)) throw new Error(`${what} must be 1, 2 or 3 (3 is the most urgent), got ${JSON.stringify(priority)}`);
}

function inputJsonSchema(workflow: string, schema: z.ZodType): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch (err) {
    throw new Error(
      `Workflow '${workflow}': its inputValidator cannot be turned into JSON Schema for the server (${(err as Error).message})`,
    );
  }
}

function assertName(what: string, name: string): void {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new Error(
      `Invalid ${what} name ${JSON.stringify(name)}: use letters, digits, "-" and "_", starting with a letter or digit (max 100)`,
    );
  }
}
