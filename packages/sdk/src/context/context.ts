import { isDeepStrictEqual } from 'node:util';
import { captureCallsite } from './callsite.js';
import { ChildSpawner, type ChildRunOptions, type ChildSpawn } from './children.js';
import {
  MAX_PLAYGROUND_VARIABLES,
  MAX_USAGE_COST_USD,
  MAX_USAGE_ENTRIES,
  MAX_USAGE_TOKENS,
  PLAYGROUND_NAME_PATTERN,
  type LlmUsage,
  type LogLine,
  type PlaygroundVariable,
  type TaskJob,
} from '../contract.js';
import type { RunRef } from '../workflow/run-ref.js';
import type { RunnableWorkflow, TaskRef } from '../workflow/workflow.interface.js';

export type LogLevel = LogLine['level'];

/** One LLM call, as given to `ctx.usage()`. */
export interface UsageCall {
  /** The model's name as the provider calls it (`gpt-4o-mini`, `claude-sonnet-4-0`). */
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** What the call cost in US dollars; leave it out and the server prices it from the model. */
  costUsd?: number;
  /** `openai`, `anthropic`, `google`, …: helps find the model's price. */
  provider?: string;
}

/** The calls each context recorded, kept off the class so they are not part of its API. */
const usageByContext = new WeakMap<Context<any>, LlmUsage[]>();
/** The playground variables each context recorded, by name, with the value the first call returned. */
const variablesByContext = new WeakMap<Context<any>, Map<string, { variable: PlaygroundVariable; returned: unknown }>>();
/** The child runs each context (one attempt) spawned, counted for their keys. */
const childrenByContext = new WeakMap<Context<any>, ChildSpawner>();

/** What a task function receives besides its input. */
export class Context<I = unknown> {
  readonly input: I;
  readonly runId: string;
  readonly taskRunId: string;
  readonly workflowName: string;
  readonly taskName: string;
  readonly attempt: number;
  readonly additionalMetadata: Record<string, string>;
  readonly abortSignal: AbortSignal;

  constructor(
    private readonly job: TaskJob,
    attempt: number,
    abortSignal: AbortSignal,
    private readonly onLog: (line: LogLine) => void,
  ) {
    this.input = job.input as I;
    this.runId = job.runId;
    this.taskRunId = job.taskRunId;
    this.workflowName = job.workflow;
    this.taskName = job.task;
    this.attempt = attempt;
    this.additionalMetadata = job.additionalMetadata;
    this.abortSignal = abortSignal;
  }

  /** The output of a parent task (declared in `parents`). */
  parentOutput<R>(parent: TaskRef<R> | string): R {
    const name = typeof parent === 'string' ? parent : parent.name;
    if (!(name in this.job.parentOutputs)) {
      throw new Error(`Task '${this.taskName}' has no parent '${name}': add it to the task's parents`);
    }
    return this.job.parentOutputs[name] as R;
  }

  /** 0 on the first attempt, 1 on the first retry, … (Hatchet's `retryCount`). */
  get retryCount(): number {
    return this.attempt - 1;
  }

  /** In an onFailure task: the error of each task that failed, by task name. Empty elsewhere. */
  taskErrors(): Record<string, string> {
    return { ...(this.job.taskErrors ?? {}) };
  }

  /**
   * Runs a workflow or task as a child of this task and resolves with its output (rejects with
   * WhetstoneRunError if it fails, like `wf.run()`). The child is linked to this task run under a
   * key (`opts.key`, default the spawn's index in this attempt): a retried attempt that spawns in
   * the same order gets the same children back instead of starting new ones. The child inherits
   * this run's additionalMetadata unless given its own. Cancelling this run cancels the child.
   */
  runChild<CI, CO>(workflow: RunnableWorkflow<CI, CO>, input: CI, opts?: ChildRunOptions): Promise<CO> {
    return this.childSpawner().run(workflow, input, opts);
  }

  /** Starts a child run (see `runChild`) and resolves with its RunRef once it is created. */
  runNoWaitChild<CI, CO>(workflow: RunnableWorkflow<CI, CO>, input: CI, opts?: ChildRunOptions): Promise<RunRef<CO>> {
    return this.childSpawner().runNoWait(workflow, input, opts);
  }

  /** Starts several child runs and resolves with their outputs in order; rejects with the first failure, like Promise.all. */
  runChildren<CO>(children: readonly ChildSpawn<any, CO>[]): Promise<CO[]> {
    return this.childSpawner().runAll(children);
  }

  /** Starts several child runs and resolves with their RunRefs in order. */
  runNoWaitChildren<CO>(children: readonly ChildSpawn<any, CO>[]): Promise<RunRef<CO>[]> {
    return this.childSpawner().runNoWaitAll(children);
  }

  private childSpawner(): ChildSpawner {
    let spawner = childrenByContext.get(this);
    if (!spawner) childrenByContext.set(this, (spawner = new ChildSpawner(this)));
    return spawner;
  }

  /** A log line stored with this attempt and shown in the dashboard. */
  log(message: string, level: LogLevel = 'INFO'): void {
    this.onLog({ level, message: String(message), at: new Date().toISOString() });
  }

  /**
   * Records one LLM call of this attempt (call it once per call). It is sent with the attempt's
   * result, failed attempts included; the dashboard shows tokens and cost per task and workflow.
   */
  usage(call: UsageCall): void {
    const calls = usageByContext.get(this) ?? [];
    calls.push(validUsage(call, this.taskName));
    usageByContext.set(this, calls);
  }

  /**
   * A value the dashboard's playground can change on a re-run: returns `defaultValue` on a normal
   * run, the playground's override on a playground run. `defaultValue` must be JSON. The name, the
   * default and where this call is in your source are sent with the attempt's result. The same
   * name again in the same attempt returns the first call's value.
   */
  playground<T>(name: string, defaultValue: T): T {
    if (typeof name !== 'string' || !PLAYGROUND_NAME_PATTERN.test(name)) {
      throw new Error(
        `ctx.playground(): invalid name ${describeName(name)} in task '${this.taskName}': use 1–100 letters, digits, '-', '_' or '.'`,
      );
    }
    const recorded = variablesByContext.get(this) ?? new Map<string, { variable: PlaygroundVariable; returned: unknown }>();
    variablesByContext.set(this, recorded);
    const earlier = recorded.get(name);
    if (earlier) return earlier.returned as T;
    const problem = jsonProblem(defaultValue);
    if (problem) {
      throw new TypeError(
        `ctx.playground('${name}') in task '${this.taskName}': the default value must be JSON (string, number, boolean, null, array or plain object), got ${problem}`,
      );
    }
    if (recorded.size >= MAX_PLAYGROUND_VARIABLES) {
      throw new Error(
        `ctx.playground('${name}') in task '${this.taskName}': a task may declare at most ${MAX_PLAYGROUND_VARIABLES} playground variables`,
      );
    }
    const overrides = this.job.overrides;
    const overridden = overrides !== undefined && Object.hasOwn(overrides, name);
    const returned = overridden ? overrides[name] : defaultValue;
    recorded.set(name, {
      returned,
      // Copies: the report shows what the call received, whatever the task does with the objects later.
      variable: { name, default: structuredClone(defaultValue), value: structuredClone(returned), overridden, callsite: captureCallsite() },
    });
    return returned as T;
  }
}

/** The playground variables declared on `ctx`, in call order, ready for the report. */
export function recordedVariables(ctx: Context<any>): PlaygroundVariable[] | undefined {
  const recorded = variablesByContext.get(ctx);
  if (!recorded?.size) return undefined;
  return [...recorded.values()].map((entry) => entry.variable);
}

function describeName(name: unknown): string {
  return typeof name === 'string' ? JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}…` : name) : `of type ${typeof name}`;
}

/** Why `value` does not survive a JSON round trip unchanged, or null when it does. */
function jsonProblem(value: unknown): string | null {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    return `a value JSON cannot encode (${(err as Error).message.split('\n')[0]})`;
  }
  if (text === undefined) return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
  if (isDeepStrictEqual(JSON.parse(text), value)) return null;
  return 'a value that changes through JSON (a Date, a class instance, NaN/Infinity, an undefined property, …)';
}

/** The LLM calls recorded on `ctx`, ready for the report (merged per model past MAX_USAGE_ENTRIES). */
export function recordedUsage(ctx: Context<any>): LlmUsage[] | undefined {
  const calls = usageByContext.get(ctx);
  if (!calls?.length) return undefined;
  return calls.length <= MAX_USAGE_ENTRIES ? calls : mergeByModel(calls);
}

function validUsage(call: UsageCall, taskName: string): LlmUsage {
  const problem = (text: string) => new TypeError(`ctx.usage() in task '${taskName}': ${text}`);
  if (!call || typeof call !== 'object') throw problem('expected { model, inputTokens, outputTokens, costUsd?, provider? }');
  const model = typeof call.model === 'string' ? call.model.trim() : '';
  if (!model || model.length > 200)
    throw problem(`model must be a non-empty string of at most 200 characters, got ${JSON.stringify(call.model)}`);
  const provider = call.provider === undefined ? undefined : typeof call.provider === 'string' ? call.provider.trim() : '';
  if (provider !== undefined && (!provider || provider.length > 100)) {
    throw problem(`provider must be a non-empty string of at most 100 characters when given, got ${JSON.stringify(call.provider)}`);
  }
  for (const key of ['inputTokens', 'outputTokens'] as const) {
    const value = call[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_USAGE_TOKENS) {
      throw problem(`${key} must be a non-negative integer, got ${String(value)}`);
    }
  }
  const cost = call.costUsd;
  if (cost !== undefined && (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0 || cost > MAX_USAGE_COST_USD)) {
    throw problem(
      `costUsd must be a non-negative finite number of US dollars (at most ${MAX_USAGE_COST_USD}) when given, got ${String(cost)}`,
    );
  }
  return {
    model,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    ...(provider ? { provider } : {}),
    ...(cost !== undefined ? { costUsd: cost } : {}),
  };
}

/** Sums calls of the same model, provider and cost kind, so a report never exceeds the contract's limit. */
function mergeByModel(calls: LlmUsage[]): LlmUsage[] {
  const merged = new Map<string, LlmUsage>();
  for (const call of calls) {
    const key = JSON.stringify([call.model, call.provider ?? null, call.costUsd === undefined]);
    const into = merged.get(key);
    if (!into) {
      merged.set(key, { ...call });
      continue;
    }
    into.inputTokens = Math.min(MAX_USAGE_TOKENS, into.inputTokens + call.inputTokens);
    into.outputTokens = Math.min(MAX_USAGE_TOKENS, into.outputTokens + call.outputTokens);
    if (into.costUsd !== undefined) into.costUsd = Math.min(MAX_USAGE_COST_USD, into.costUsd + (call.costUsd ?? 0));
  }
  return [...merged.values()].slice(0, MAX_USAGE_ENTRIES);
}
