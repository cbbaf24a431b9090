import { isDeepStrictEqual } from 'node:util';
import { Context } from './context.js';
import {
  EVENT_KEY_MAX_LENGTH,
  EVENT_KEY_WILDCARDS,
  MAX_DURABLE_FILTER_BYTES,
  MAX_DURABLE_SLEEP_MS,
  durableChildKey,
  parseDuration,
  type DurableResults,
  type DurableStepReport,
  type DurableStepResult,
  type LogLine,
  type TaskJob,
} from '../contract.js';
import type { RunOptions } from '../client/client.interface.js';
import type { RunnableWorkflow } from '../workflow/workflow.interface.js';

/** A durable task's function: like a task's, with a DurableContext. */
export type DurableTaskFn<I, R> = (input: I, ctx: DurableContext<I>) => R | Promise<R>;

/**
 * Thrown by a durable call that has to wait: the task stops here and resumes later from its
 * recorded results. Do not catch it (or rethrow what you do not recognise, like any error); the
 * worker reports the suspension even if it is swallowed, but code after a swallowed one still runs.
 */
export class DurableSuspension extends Error {
  constructor(readonly index: number) {
    super(`The durable task suspended at step ${index}: it resumes when the step completes (do not catch this error)`);
    this.name = 'DurableSuspension';
  }
}

/** A child run spawned by `ctx.spawnChild()` did not succeed; the message carries its status and error. */
export class ChildRunFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChildRunFailedError';
  }
}

interface Suspension {
  index: number;
  /** The step to report; rejects when it could not be prepared (the child run could not be created). */
  step: Promise<DurableStepReport>;
}

interface DurableState {
  next: number;
  results: DurableResults;
  suspension?: Suspension;
  onSuspend: (suspension: Suspension) => void;
  suspended: Promise<Suspension>;
}

const stateOf = new WeakMap<DurableContext<any>, DurableState>();

/**
 * The context of a durable task (`wf.durableTask`, `ws.durableTask`). Its `sleepFor`,
 * `waitForEvent` and `spawnChild` calls are steps, numbered in call order: a step that already
 * completed returns its recorded result at once; the first one that has not suspends the task,
 * which frees the worker slot; the engine runs the task again from the start once the step
 * completes, and every earlier step replays its result. Code between steps runs again on every
 * resume, so keep it deterministic (and side effects idempotent); steps run one at a time, even
 * inside `Promise.all`.
 */
export class DurableContext<I = unknown> extends Context<I> {
  constructor(job: TaskJob, attempt: number, abortSignal: AbortSignal, onLog: (line: LogLine) => void) {
    super(job, attempt, abortSignal, onLog);
    let onSuspend!: (suspension: Suspension) => void;
    const suspended = new Promise<Suspension>((resolve) => (onSuspend = resolve));
    stateOf.set(this, { next: 0, results: job.durableResults ?? {}, onSuspend, suspended });
  }

  /** Waits `duration` ('30s', '2h', '1d', or milliseconds) without holding a worker slot; survives restarts. */
  async sleepFor(duration: string | number): Promise<void> {
    const ms = sleepMs(duration, this.taskName);
    await this.step((index) => ({ index, kind: 'sleep', wakeAt: new Date(Date.now() + ms).toISOString() }));
  }

  /**
   * Waits for the first event pushed with `key` after this call whose payload contains `filter`
   * (JSON containment, like Postgres `@>`: `{ orderId: 'o1' }` matches `{ orderId: 'o1', total: 5 }`),
   * and resolves with that event's payload.
   */
  async waitForEvent<T = unknown>(key: string, filter?: Record<string, unknown>): Promise<T> {
    validEventWait(key, filter, this.taskName);
    return (await this.step((index) => ({ index, kind: 'event', key, ...(filter ? { filter: structuredClone(filter) } : {}) }))) as T;
  }

  /**
   * Starts a run of `workflow` as this task's child and resolves with its output once it succeeds
   * (rejects with ChildRunFailedError if it fails or is cancelled). The task holds no slot meanwhile;
   * replaying the step never starts a second child.
   */
  async spawnChild<CI, CO>(
    workflow: RunnableWorkflow<CI, CO>,
    input: CI,
    opts: { additionalMetadata?: Record<string, string>; priority?: 1 | 2 | 3 } = {},
  ): Promise<CO> {
    if (!workflow || typeof (workflow as Partial<RunnableWorkflow<CI, CO>>).runNoWait !== 'function') {
      throw new TypeError(
        `ctx.spawnChild() in task '${this.taskName}': expected a workflow or task created with ws.workflow() or ws.task()`,
      );
    }
    return (await this.step(async (index) => {
      const key = durableChildKey(index);
      // The parent link (and the idempotency key) make a resend, or this step run again, return the same child.
      const ref = await workflow.runNoWait(input, {
        ...opts,
        idempotencyKey: `durable:${this.taskRunId}:${key}`,
        parent: { taskRunId: this.taskRunId, key },
      } as RunOptions);
      return { index, kind: 'child', childRunId: ref.runId };
    })) as CO;
  }

  /** Replays step `index` if it completed, else suspends the task there. */
  private step(prepare: (index: number) => DurableStepReport | Promise<DurableStepReport>): Promise<unknown> {
    const state = stateOf.get(this)!;
    const index = state.next++;
    // Only the first unfinished step suspends; calls made after it (Promise.all, swallowed suspensions) wait too.
    if (state.suspension) return Promise.reject(new DurableSuspension(index));
    const recorded = state.results[String(index)];
    if (recorded) return replay(recorded);
    const step = Promise.resolve().then(() => prepare(index));
    step.catch(() => undefined); // the worker reads the failure from the suspension
    state.suspension = { index, step };
    state.onSuspend(state.suspension);
    return step.then(() => Promise.reject(new DurableSuspension(index)));
  }
}

function replay(recorded: DurableStepResult): Promise<unknown> {
  if ('error' in recorded) return Promise.reject(new ChildRunFailedError(recorded.error));
  return Promise.resolve(recorded.value);
}

export type DurableOutcome = { kind: 'finished'; output: unknown } | { kind: 'suspended'; step: DurableStepReport };

/**
 * How one execution of a durable task ended: it finished (with its output) or suspended at a step.
 * Resolves as soon as the task suspends, without waiting for code that swallowed the suspension;
 * rejects with the task's error, or with the reason a step could not be prepared.
 */
export async function settleDurable(ctx: DurableContext<any>, work: Promise<unknown>): Promise<DurableOutcome> {
  const state = stateOf.get(ctx);
  if (!state) throw new Error('settleDurable() needs a DurableContext');
  const finished = work.then(
    (output) => ({ output }),
    (error: unknown) => ({ error }),
  );
  const first = await Promise.race([finished, state.suspended]);
  if (state.suspension) return { kind: 'suspended', step: await state.suspension.step };
  if ('error' in first) throw first.error;
  return { kind: 'finished', output: (first as { output: unknown }).output };
}

function sleepMs(duration: string | number, taskName: string): number {
  const problem = (text: string) => new TypeError(`ctx.sleepFor() in task '${taskName}': ${text}`);
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration <= 0) throw problem(`a duration in milliseconds must be a positive number, got ${duration}`);
    if (duration > MAX_DURABLE_SLEEP_MS) throw problem('a sleep is at most 366 days');
    return Math.ceil(duration);
  }
  let ms: number;
  try {
    ms = parseDuration(duration);
  } catch (err) {
    throw problem((err as Error).message);
  }
  if (ms > MAX_DURABLE_SLEEP_MS) throw problem('a sleep is at most 366 days');
  return ms;
}

function validEventWait(key: unknown, filter: unknown, taskName: string): void {
  const problem = (text: string) => new TypeError(`ctx.waitForEvent() in task '${taskName}': ${text}`);
  if (typeof key !== 'string' || key.length === 0 || key.length > EVENT_KEY_MAX_LENGTH) {
    throw problem(`the event key must be a string of 1 to ${EVENT_KEY_MAX_LENGTH} characters, got ${JSON.stringify(key)}`);
  }
  if (EVENT_KEY_WILDCARDS.test(key))
    throw problem(`the event key is matched exactly: ${JSON.stringify(key)} has wildcard characters no pushed event can have`);
  if (filter === undefined) return;
  if (!filter || typeof filter !== 'object' || Array.isArray(filter))
    throw problem('the filter must be a plain object, e.g. { orderId: input.orderId }');
  let text: string;
  try {
    text = JSON.stringify(filter);
  } catch (err) {
    throw problem(`the filter must be JSON (${(err as Error).message})`);
  }
  if (!isDeepStrictEqual(JSON.parse(text), filter))
    throw problem('the filter must be JSON: no Dates, class instances, undefined values or NaN');
  if (Buffer.byteLength(text) > MAX_DURABLE_FILTER_BYTES) throw problem(`the filter is over ${MAX_DURABLE_FILTER_BYTES} bytes of JSON`);
}
