import { hostname } from 'node:os';
import type { Job } from 'bullmq';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  WORKER_REPORTS_QUEUE,
  controlMessageSchema,
  payloadTooLargeMessage,
  registerWorkerResponseSchema,
  taskJobSchema,
  taskQueueName,
  workerControlQueueName,
  type WorkerReport,
  type LlmUsage,
  type PlaygroundVariable,
  type LogLine,
  type TaskJob,
} from '../contract.js';
import { Context, recordedUsage, recordedVariables } from '../context/context.js';
import { DurableContext, settleDurable, type DurableOutcome } from '../context/durable-context.js';
import { NonRetryableError, PayloadTooLargeError, TaskCancelledError, TaskTimeoutError } from './errors.js';
import { WhetstoneApiError, type HttpClient } from '../client/http.js';
import { createQueueKit, type AnyQueue, type QueueKit } from '../transport.js';
import type { Workflow } from '../workflow/workflow.js';
import { addAction, type ActionFn } from '../declarative/actions.js';
import { workerWorkflows, type DeclarativeOption } from '../declarative/worker-workflows.js';
import { z } from 'zod';

export interface WorkerOptions {
  /** Workflows defined in code; optional when YAML files provide them (see `declarative`). */
  workflows?: ReadonlyArray<Workflow<any, any>>;
  /** Folder of declarative YAML workflows loaded at start (default `./.whetstone` when it exists); false: none. */
  declarative?: DeclarativeOption;
  /** Task jobs this worker runs at once per action (default 10). */
  slots?: number;
  /** Stop gracefully on SIGINT/SIGTERM and exit (default true). */
  handleSignals?: boolean;
}

const LOG_FLUSH_MS = 200;
/**
 * task.started goes out only once a task has run this long; a quicker task sends one report, its
 * result with `startedAt`. Most tasks are quick, and each report is a queue job and several
 * writes in the engine.
 */
export const STARTED_REPORT_DELAY_MS = 25;
/** A job re-delivered this many times after its worker died is given up by BullMQ (the engine then records the loss). */
const MAX_STALLED = 5;
/** Reports to the engine ride out an engine or database restart: BullMQ retries them with backoff (~4 min in all). */
const REPORT_JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: 1000,
  attempts: 10,
  backoff: { type: 'exponential', delay: 500 },
} as const;

type FailureKind = Extract<WorkerReport, { type: 'task.failed' }>['kind'];
const okSchema = z.object({ ok: z.boolean() });

export class WhetstoneWorker {
  private kit?: QueueKit;
  private workerId?: string;
  private heartbeat?: NodeJS.Timeout;
  private stopping?: Promise<void>;
  private maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
  /** Abort controllers of the attempts running in this process, by task run id. */
  private readonly running = new Map<string, AbortController>();
  /** Actions for declarative YAML steps, by `integration:action` name. */
  private readonly actions = new Map<string, ActionFn<any>>();
  private settleStopped!: { resolve: () => void; reject: (err: Error) => void };

  /**
   * Settles when the worker has stopped consuming: resolves after `stop()`, rejects with a
   * `WhetstoneApiError` (status 401) when the server refused the API key at a heartbeat (the key
   * was revoked), after which the worker stops by itself. Awaiting it is optional.
   */
  readonly stopped: Promise<void> = new Promise<void>((resolve, reject) => {
    this.settleStopped = { resolve, reject };
  });

  constructor(
    private readonly http: HttpClient,
    readonly name: string,
    private readonly opts: WorkerOptions,
  ) {
    if (!opts.workflows?.length && opts.declarative === false) throw new Error(`Worker '${name}' needs at least one workflow`);
    const names = (opts.workflows ?? []).map((w) => w.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new Error(`Worker '${name}' lists workflow '${dup}' twice`);
    this.stopped.catch(() => undefined); // not an unhandled rejection when nobody awaits it
  }

  get id(): string | undefined {
    return this.workerId;
  }

  /**
   * Provides `action: "integration:action"` for declarative YAML steps: `fn` gets the step's `with`
   * values (templates filled in) and the context; its return value is the step's output.
   */
  registerAction<I = Record<string, any>>(name: string, fn: ActionFn<I>): this {
    if (this.kit) throw new Error(`registerAction('${name}'): register actions before worker.start()`);
    addAction(this.actions, name, fn);
    return this;
  }

  /** Registers the workflows with the server and starts consuming task jobs. Resolves once ready. */
  async start(): Promise<void> {
    if (this.kit) return;
    const { workflows: code, declarative } = this.opts;
    const workflows = await workerWorkflows({ worker: this.name, workflows: code, declarative, actions: this.actions });
    const registration = await this.http.request('POST', '/api/v1/workers', registerWorkerResponseSchema, {
      name: this.name,
      workflows: workflows.map((w) => w.definition()),
      hostname: hostname(),
      pid: process.pid,
    });
    this.workerId = registration.workerId;
    this.maxPayloadBytes = registration.maxPayloadBytes;
    const kit = createQueueKit(registration.transport);
    this.kit = kit;
    const events = kit.queue<WorkerReport>(WORKER_REPORTS_QUEUE);
    const ready: Promise<unknown>[] = [];
    const lockDuration = registration.lockDurationMs;
    for (const workflow of workflows) {
      for (const task of workflow.taskNames()) {
        const worker = kit.worker(taskQueueName(workflow.name, task), (job) => this.execute(workflow, job, events), {
          concurrency: this.opts.slots ?? 10,
          lockDuration,
          stalledInterval: lockDuration,
          maxStalledCount: MAX_STALLED,
        });
        worker.on('error', (err) => console.error(`[whetstone] worker '${this.name}' queue error: ${err.message}`));
        ready.push(worker.waitUntilReady());
      }
    }
    const control = kit.worker(workerControlQueueName(registration.workerId), async (job) => {
      const message = controlMessageSchema.parse(job.data);
      this.running.get(message.taskRunId)?.abort(new TaskCancelledError(message.reason));
    });
    control.on('error', (err) => console.error(`[whetstone] worker '${this.name}' control queue error: ${err.message}`));
    ready.push(control.waitUntilReady());
    await Promise.all(ready);
    this.heartbeat = setInterval(() => void this.beat(), registration.heartbeatIntervalMs);
    this.heartbeat.unref();
    if (this.opts.handleSignals !== false) {
      const onSignal = () => void this.stop().finally(() => process.exit(0));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
  }

  /** Finishes running tasks, then disconnects. */
  stop(): Promise<void> {
    return this.shutdown();
  }

  private shutdown(cause?: Error): Promise<void> {
    this.stopping ??= (async () => {
      if (this.heartbeat) clearInterval(this.heartbeat);
      // The control queue dies with this worker (while the kit's connections are still open).
      const control = this.workerId ? this.kit?.queue(workerControlQueueName(this.workerId)) : undefined;
      await control?.obliterate({ force: true }).catch(() => undefined);
      await this.kit?.close();
      if (this.workerId && !cause) {
        await this.http.request('POST', `/api/v1/workers/${this.workerId}/stop`, okSchema, {}).catch(() => undefined);
      }
      if (cause) this.settleStopped.reject(cause);
      else this.settleStopped.resolve();
    })();
    return this.stopping;
  }

  private async beat(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.http.request('POST', `/api/v1/workers/${this.workerId}/heartbeat`, okSchema, {});
    } catch (err) {
      if (err instanceof WhetstoneApiError && err.status === 401 && !this.stopping) {
        console.error(`[whetstone] worker '${this.name}': the API key was revoked or is invalid (401); stopping`);
        // A worker that owns its process (handleSignals) makes the process exit non-zero once idle.
        if (this.opts.handleSignals !== false) process.exitCode = 1;
        void this.shutdown(err);
        return;
      }
      console.error(`[whetstone] heartbeat failed: ${(err as Error).message}`);
    }
  }

  private async execute(workflow: Workflow<any, any>, job: Job, events: AnyQueue<WorkerReport>): Promise<void> {
    const data = taskJobSchema.parse(job.data);
    // A job BullMQ re-delivered after its worker died is one attempt further on.
    const attempt = data.attempt + Math.max(0, (job.attemptsStarted ?? 1) - 1);
    const base = { taskRunId: data.taskRunId, attempt, workerId: this.workerId! };
    const send = (event: WorkerReport) => events.add(event.type, event, REPORT_JOB_OPTIONS);
    const fail = async (error: Error, kind: FailureKind, recorded: Recorded & { startedAt?: string } = {}) =>
      send({
        type: 'task.failed',
        ...base,
        kind,
        error: { message: error.message, name: error.name, stack: error.stack },
        at: now(),
        ...recorded,
      });

    if (data.scheduleDeadline && Date.now() > Date.parse(data.scheduleDeadline)) {
      await fail(
        new Error(`ScheduleTimeoutError: the task waited for a worker past its scheduleTimeout (deadline ${data.scheduleDeadline})`),
        'schedule-timeout',
      );
      return;
    }
    // Sent from a timer (off the critical path), and awaited before the result is sent, so
    // reports reach the queue in order and a failed send fails the job.
    const startedAt = now();
    let started: Promise<unknown> | undefined;
    const sendStarted = () => (started ??= send({ type: 'task.started', ...base, at: startedAt }));
    const startedTimer = setTimeout(() => void sendStarted().catch(() => undefined), STARTED_REPORT_DELAY_MS);
    /** Stops the timer; what the result report needs to say about the start (nothing if task.started went out). */
    const settleStarted = async (): Promise<{ startedAt?: string }> => {
      clearTimeout(startedTimer);
      if (!started) return { startedAt };
      await started;
      return {};
    };

    const pending: LogLine[] = [];
    const flush = async () => {
      if (pending.length) await send({ type: 'task.log', ...base, lines: pending.splice(0) });
    };
    const flusher = setInterval(() => void flush().catch(() => undefined), LOG_FLUSH_MS);
    const abort = new AbortController();
    this.running.set(data.taskRunId, abort);
    const timer = setTimeout(
      () => abort.abort(new TaskTimeoutError(`Task '${data.task}' exceeded its executionTimeout (${formatMs(data.executionTimeoutMs)})`)),
      data.executionTimeoutMs,
    );
    const onLog = (line: LogLine) => pending.push(line);
    const ctx = workflow.isDurable(data.task)
      ? new DurableContext(data, attempt, abort.signal, onLog)
      : new Context(data, attempt, abort.signal, onLog);
    try {
      const work = this.run(workflow, data, ctx);
      const outcome: DurableOutcome = await raceAbort(
        ctx instanceof DurableContext ? settleDurable(ctx, work) : work.then((output) => ({ kind: 'finished', output })),
        abort.signal,
      );
      const finishedAt = now();
      // Declared checks read the output as stored; they never fail the task (evaluate() does not throw) nor count in its time.
      const checks = outcome.kind === 'finished' ? await workflow.taskChecks(data.task)?.evaluate(outcome.output) : undefined;
      // A suspended durable task frees this slot; the engine queues it again when its step completes.
      if (outcome.kind === 'suspended') {
        clearTimeout(startedTimer);
        await sendStarted();
        await flush();
        await send({ type: 'task.suspended', ...base, step: outcome.step, at: now(), ...recordedOn(ctx) });
      } else {
        const start = await settleStarted();
        await flush();
        await send({
          type: 'task.succeeded',
          ...base,
          output: outcome.output,
          at: finishedAt,
          ...start,
          ...recordedOn(ctx),
          ...(checks ? { checks } : {}),
        });
      }
    } catch (err) {
      const start = await settleStarted();
      await flush();
      const error = err instanceof Error ? err : new Error(String(err));
      await fail(error, failureKind(error), { ...start, ...recordedOn(ctx) });
    } finally {
      clearTimeout(startedTimer);
      clearTimeout(timer);
      clearInterval(flusher);
      this.running.delete(data.taskRunId);
    }
  }

  private async run(workflow: Workflow<any, any>, data: TaskJob, ctx: Context): Promise<unknown> {
    const fn = workflow.taskFn(data.task);
    if (!fn) throw new NonRetryableError(`This worker has no task '${data.task}' in workflow '${workflow.name}'`);
    const output = toJson(await fn(data.input, ctx));
    // The engine refuses it too; failing here says why without shipping the payload.
    const bytes = Buffer.byteLength(JSON.stringify(output));
    if (bytes > this.maxPayloadBytes) throw new PayloadTooLargeError(payloadTooLargeMessage(bytes, this.maxPayloadBytes));
    return output;
  }
}

type Recorded = { usage?: LlmUsage[]; variables?: PlaygroundVariable[] };

/** What the task recorded on its context (LLM calls, playground variables), carried by its result report. */
function recordedOn(ctx: Context): Recorded {
  const usage = recordedUsage(ctx);
  const variables = recordedVariables(ctx);
  return { ...(usage ? { usage } : {}), ...(variables ? { variables } : {}) };
}

/** Settles with the task, or rejects with the abort reason (timeout, cancel) without waiting for a task that ignores its signal. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function failureKind(error: Error): FailureKind {
  if (error instanceof TaskTimeoutError) return 'timeout';
  if (error instanceof TaskCancelledError) return 'cancelled';
  if (error instanceof NonRetryableError || error instanceof PayloadTooLargeError || error.name === 'NonRetryableError')
    return 'non-retryable';
  return 'error';
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function now(): string {
  return new Date().toISOString();
}

/** Outputs are stored as JSON: undefined becomes null, and non-serialisable values fail the task clearly. */
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch (err) {
    throw new Error(`Task output is not JSON-serialisable: ${(err as Error).message}`);
  }
}
