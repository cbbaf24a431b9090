import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TriggerRunOptions } from './children.js';
import { TERMINAL_RUN_STATUSES, runSummarySchema, type RunSummary } from './contract.js';
import { EventsClient } from './events.js';
import type { DurableTaskFn } from './durable-context.js';
import { createHttpClient, type HttpClient } from './http.js';
import { RateLimitsClient } from './ratelimits.js';
import { ScheduleClient } from './schedules.js';
import { WhetstoneWorker, type WorkerOptions } from './worker.js';
import { Workflow, type RunClient, type TaskFn, type TaskPolicyOptions, type WorkflowOptions } from './workflow.js';

export interface WhetstoneOptions {
  /** Defaults to WHETSTONE_API_URL, then http://localhost:3000. */
  apiUrl?: string;
  /** Defaults to WHETSTONE_API_KEY. */
  apiKey?: string;
}

const triggerResponseSchema = z.object({ runId: z.string() });
/** How long one long-poll for a run result waits server-side. */
const RESULT_POLL_SECONDS = 25;

export class Whetstone implements RunClient {
  private readonly http: HttpClient;
  /** Push events (starting the workflows that listen for them), list and replay them. */
  readonly events: EventsClient;
  /** Every cron and one-off schedule of the project (per workflow: `wf.cron()`, `wf.schedule()`, `wf.delay()`). */
  readonly schedules: ScheduleClient;
  /** Project-wide rate limits that tasks name with `rateLimits: [{ staticKey }]`. */
  readonly ratelimits: RateLimitsClient;

  private constructor(readonly apiUrl: string, apiKey: string) {
    this.http = createHttpClient(apiUrl, apiKey);
    this.events = new EventsClient(this.http);
    this.schedules = new ScheduleClient(this.http);
    this.ratelimits = new RateLimitsClient(this.http);
  }

  static init(opts: WhetstoneOptions = {}): Whetstone {
    const apiUrl = opts.apiUrl ?? process.env.WHETSTONE_API_URL ?? 'http://localhost:3000';
    const apiKey = opts.apiKey ?? process.env.WHETSTONE_API_KEY;
    if (!apiKey) {
      throw new Error('No Whetstone API key: set WHETSTONE_API_KEY (npm start prints one) or pass { apiKey } to Whetstone.init()');
    }
    return new Whetstone(apiUrl, apiKey);
  }

  /** A single-task workflow: `run()` resolves with the task's own output. */
  task<I = unknown, O = unknown>(opts: WorkflowOptions<I> & TaskPolicyOptions & { fn: TaskFn<I, O> }): Workflow<I, O> {
    const workflow = new Workflow<I, O>(this, opts, 'task', this.schedules);
    const { name, fn, retries, backoff, executionTimeout, scheduleTimeout, rateLimits } = opts;
    workflow.task({ name, fn, retries, backoff, executionTimeout, scheduleTimeout, rateLimits });
    return workflow;
  }

  /** A single-task workflow whose task is durable (`ctx.sleepFor`, `ctx.waitForEvent`, `ctx.spawnChild`; see wf.durableTask). */
  durableTask<I = unknown, O = unknown>(opts: WorkflowOptions<I> & TaskPolicyOptions & { fn: DurableTaskFn<I, O> }): Workflow<I, O> {
    const workflow = new Workflow<I, O>(this, opts, 'task', this.schedules);
    const { name, fn, retries, backoff, executionTimeout, scheduleTimeout, rateLimits } = opts;
    workflow.durableTask({ name, fn, retries, backoff, executionTimeout, scheduleTimeout, rateLimits });
    return workflow;
  }

  workflow<I = unknown, O = Record<string, unknown>>(opts: WorkflowOptions<I>): Workflow<I, O> {
    return new Workflow<I, O>(this, opts, 'workflow', this.schedules);
  }

  worker(name: string, opts: WorkerOptions): WhetstoneWorker {
    return new WhetstoneWorker(this.http, name, opts);
  }

  /** Starts a run; with `parent` (set by `ctx.runChild()`), a child run of that task run. */
  async triggerRun(workflow: string, input: unknown, opts: TriggerRunOptions = {}): Promise<string> {
    const { runId } = await this.http.request(
      'POST',
      `/api/v1/workflows/${encodeURIComponent(workflow)}/runs`,
      triggerResponseSchema,
      {
        input: input ?? {},
        additionalMetadata: opts.additionalMetadata,
        priority: opts.priority,
        idempotencyKey: opts.idempotencyKey ?? `sdk:${randomUUID()}`,
        parent: opts.parent,
      },
      // Safe to resend: the idempotency key makes a repeat return the first run.
      { retry: true },
    );
    return runId;
  }

  async getRun(runId: string): Promise<RunSummary> {
    return this.http.request('GET', `/api/v1/runs/${encodeURIComponent(runId)}`, runSummarySchema, undefined, { retry: true });
  }

  /** Cancels a run (see RunRef.cancel); cancelling a finished run changes nothing. */
  async cancelRun(runId: string): Promise<RunSummary> {
    await this.http.request('POST', `/api/v1/runs/${encodeURIComponent(runId)}/cancel`, z.object({ status: z.string() }), {}, { retry: true });
    return this.getRun(runId);
  }

  async waitForRun(runId: string): Promise<RunSummary> {
    for (;;) {
      const run = await this.http.request(
        'GET',
        `/api/v1/runs/${encodeURIComponent(runId)}?wait=${RESULT_POLL_SECONDS}`,
        runSummarySchema,
        undefined,
        { retry: true },
      );
      if (TERMINAL_RUN_STATUSES.includes(run.status)) return run;
    }
  }
}
