import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TriggerCoalescer, bulkChunks, shiftItemIndexes, type TriggerItem } from './bulk.js';
import type { ChildParentLink, TriggerRunOptions } from '../context/children.js';
import type { RunClient, RunOptions } from './client.interface.js';
import { TERMINAL_RUN_STATUSES, bulkTriggerRunsResponseSchema, runSummarySchema, type RunSummary } from '../contract.js';
import { EventsClient } from './events.js';
import type { DurableTaskFn } from '../context/durable-context.js';
import { WhetstoneApiError, createHttpClient, type HttpClient } from './http.js';
import { RateLimitsClient } from './ratelimits.js';
import { ScheduleClient } from './schedules.js';
import { WhetstoneWorker, type WorkerOptions } from '../worker/worker.js';
import { Workflow, type TaskFn, type TaskPolicyOptions, type WorkflowOptions } from '../workflow/workflow.js';

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
  /** Triggers made in the same tick for the same workflow go out as one bulk request. */
  private readonly coalescer = new TriggerCoalescer({
    one: (workflow, item) => this.postRun(workflow, item),
    many: (workflow, items) => this.postRuns(workflow, items),
  });

  private constructor(
    readonly apiUrl: string,
    apiKey: string,
  ) {
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

  /**
   * Starts a run; with `parent` (set by `ctx.runChild()`), a child run of that task run. Calls made
   * in the same tick for the same workflow (a loop of runNoWait, Promise.all) are sent together as
   * one bulk request; each still gets its own run id or its own error.
   */
  async triggerRun(workflow: string, input: unknown, opts: TriggerRunOptions = {}): Promise<string> {
    const item = triggerItem(input, opts);
    if (opts.parent) return this.postRun(workflow, item, opts.parent);
    return this.coalescer.trigger(workflow, item);
  }

  /** Starts one run per item, in bulk requests (up to 1000 runs and 1 MiB each); their ids in order. */
  async triggerRuns(workflow: string, runs: ReadonlyArray<{ input: unknown; options?: RunOptions }>): Promise<string[]> {
    return this.postRuns(
      workflow,
      runs.map((run) => triggerItem(run.input, run.options ?? {})),
    );
  }

  private async postRun(workflow: string, item: TriggerItem, parent?: ChildParentLink): Promise<string> {
    const { runId } = await this.http.request(
      'POST',
      `/api/v1/workflows/${encodeURIComponent(workflow)}/runs`,
      triggerResponseSchema,
      { ...item, parent },
      // Safe to resend: the idempotency key makes a repeat return the first run.
      { retry: true },
    );
    return runId;
  }

  private async postRuns(workflow: string, items: readonly TriggerItem[]): Promise<string[]> {
    const ids: string[] = [];
    // One request after the other: runs are created in the order given.
    for (const chunk of bulkChunks(items)) ids.push(...(await this.postBulk(workflow, chunk.items, chunk.offset)));
    return ids;
  }

  private async postBulk(workflow: string, items: readonly TriggerItem[], offset: number): Promise<string[]> {
    try {
      const { runIds } = await this.http.request(
        'POST',
        `/api/v1/workflows/${encodeURIComponent(workflow)}/runs/bulk`,
        bulkTriggerRunsResponseSchema,
        { runs: items },
        // Safe to resend: every item carries its idempotency key.
        { retry: true },
      );
      if (runIds.length !== items.length)
        throw new WhetstoneApiError(500, `Bulk trigger of '${workflow}' answered ${runIds.length} run ids for ${items.length} runs`);
      return runIds;
    } catch (err) {
      // The server's payload limit is below the 1 MiB the chunks assume: halve until they fit.
      if (err instanceof WhetstoneApiError && err.status === 413 && items.length > 1) {
        const half = Math.ceil(items.length / 2);
        const first = await this.postBulk(workflow, items.slice(0, half), offset);
        return [...first, ...(await this.postBulk(workflow, items.slice(half), offset + half))];
      }
      throw shiftItemIndexes(err, offset);
    }
  }

  async getRun(runId: string): Promise<RunSummary> {
    return this.http.request('GET', `/api/v1/runs/${encodeURIComponent(runId)}`, runSummarySchema, undefined, { retry: true });
  }

  /** Cancels a run (see RunRef.cancel); cancelling a finished run changes nothing. */
  async cancelRun(runId: string): Promise<RunSummary> {
    await this.http.request(
      'POST',
      `/api/v1/runs/${encodeURIComponent(runId)}/cancel`,
      z.object({ status: z.string() }),
      {},
      { retry: true },
    );
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

function triggerItem(input: unknown, opts: RunOptions): TriggerItem {
  return {
    input: input ?? {},
    additionalMetadata: opts.additionalMetadata,
    priority: opts.priority,
    // A fresh key per call unless given: resending the call (retries) never starts two runs.
    idempotencyKey: opts.idempotencyKey ?? `sdk:${randomUUID()}`,
  };
}
