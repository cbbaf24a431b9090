// Child runs started from inside a task (`ctx.runChild`, `ctx.runNoWaitChild`, bulk). Each child is
// linked to the spawning task run under a key: the spawn's index within the attempt (0, 1, …) unless
// given. A retried attempt that spawns in the same order asks for the same keys and gets the
// children of the first attempt back instead of starting them again.
import { mapBounded } from '../client/bulk.js';
import type { RunOptions } from '../client/client.interface.js';
import type { RunRef } from '../workflow/run-ref.js';
import type { RunnableWorkflow } from '../workflow/workflow.interface.js';

export interface ChildRunOptions {
  /** The child's metadata; default: the parent run's. */
  additionalMetadata?: Record<string, string>;
  /** 1 to 3 (most urgent); default: the child workflow's defaultPriority. */
  priority?: 1 | 2 | 3;
  /**
   * The child's key among this task's children: a retried attempt asking for the same key gets the
   * same child. Default: the spawn's index within the attempt (`'0'`, `'1'`, …), so keys you choose
   * may not be made of digits only.
   */
  key?: string;
}

/** One child of a bulk spawn. */
export interface ChildSpawn<I = any, O = any> {
  workflow: RunnableWorkflow<I, O>;
  input: I;
  opts?: ChildRunOptions;
}

/** What a trigger carries for a child run: the spawning task run and the child's key. */
export interface ChildParentLink {
  taskRunId: string;
  key: string;
}

/** RunOptions with the parent link; the client sends `parent` with the trigger. */
export type TriggerRunOptions = RunOptions & { parent?: ChildParentLink };

const MAX_KEY_LENGTH = 200;
/** Trigger requests of one bulk spawn in flight at once. */
const SPAWN_PARALLELISM = 8;
/** Result long-polls of one bulk wait open at once. */
const WAIT_PARALLELISM = 16;

/** What the spawner needs of the task attempt (its Context). */
export interface SpawningAttempt {
  readonly taskRunId: string;
  readonly taskName: string;
  readonly abortSignal: AbortSignal;
}

/** Spawns the children of one task attempt, numbering them in call order. */
export class ChildSpawner {
  private spawned = 0;

  constructor(private readonly ctx: SpawningAttempt) {}

  async runNoWait<I, O>(workflow: RunnableWorkflow<I, O>, input: I, opts: ChildRunOptions = {}): Promise<RunRef<O>> {
    // Before any await, so children spawned together (Promise.all) are numbered in call order.
    const trigger = this.prepare({ workflow, input, opts });
    return trigger();
  }

  async run<I, O>(workflow: RunnableWorkflow<I, O>, input: I, opts?: ChildRunOptions): Promise<O> {
    const ref = await this.runNoWait(workflow, input, opts);
    return this.untilAborted(ref.result());
  }

  /** Starts every child (a few requests at a time); rejects with the first failure, after which no more are started. */
  async runNoWaitAll<O>(spawns: readonly ChildSpawn<any, O>[]): Promise<RunRef<O>[]> {
    if (!Array.isArray(spawns))
      throw new TypeError(
        `ctx.runChildren()/runNoWaitChildren() in task '${this.ctx.taskName}': expected an array of { workflow, input, opts? }`,
      );
    const triggers = spawns.map((spawn: ChildSpawn<any, O>, i): (() => Promise<RunRef<O>>) => {
      if (!spawn || typeof spawn !== 'object')
        throw new TypeError(`ctx.runChildren() in task '${this.ctx.taskName}': item ${i} is not { workflow, input, opts? }`);
      return this.prepare(spawn);
    });
    return mapBounded(triggers, SPAWN_PARALLELISM, (trigger) => trigger());
  }

  /** Starts every child, then resolves with their outputs in order, or rejects like Promise.all with the first failure. */
  async runAll<O>(spawns: readonly ChildSpawn<any, O>[]): Promise<O[]> {
    const refs = await this.runNoWaitAll(spawns);
    return this.untilAborted(mapBounded(refs, WAIT_PARALLELISM, (ref) => ref.result()));
  }

  /** Checks the spawn and takes its key now; the returned function triggers it. */
  private prepare<I, O>({ workflow, input, opts = {} }: ChildSpawn<I, O>): () => Promise<RunRef<O>> {
    const index = this.spawned++;
    const what = `Child run ${index} of task '${this.ctx.taskName}'`;
    if (!workflow || typeof (workflow as Partial<RunnableWorkflow<I, O>>).runNoWait !== 'function') {
      throw new TypeError(`${what}: expected a workflow or task created with ws.workflow() or ws.task(), got ${describe(workflow)}`);
    }
    const key = opts.key ?? String(index);
    if (opts.key !== undefined) assertKey(what, opts.key);
    const { additionalMetadata, priority } = opts;
    const options: TriggerRunOptions = { additionalMetadata, priority, parent: { taskRunId: this.ctx.taskRunId, key } };
    return () => {
      // An attempt that timed out or was cancelled keeps running until it returns: it starts nothing more.
      if (this.ctx.abortSignal.aborted) return Promise.reject(this.ctx.abortSignal.reason);
      return workflow.runNoWait(input, options);
    };
  }

  /** Settles with `work`, or rejects with the abort reason once the attempt is aborted, so the task does not carry on. */
  private untilAborted<T>(work: Promise<T>): Promise<T> {
    const signal = this.ctx.abortSignal;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}

function assertKey(what: string, key: unknown): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new TypeError(`${what}: key must be a string of 1 to ${MAX_KEY_LENGTH} characters, got ${describe(key)}`);
  }
  if (/^\d+$/.test(key))
    throw new TypeError(
      `${what}: key ${JSON.stringify(key)} is made of digits only, which are the automatic keys (the spawn's index): use another key`,
    );
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : `a ${typeof value}`;
}
