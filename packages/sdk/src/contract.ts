// The wire contract between SDK and server: every request/response body and
// every queue payload, validated with zod on both sides. The server imports
// this module (`@whetstone/sdk/contract`) rather than redefining shapes.
import { z } from 'zod';
import { cronProblem } from './contract/cron.js';
import { durationProblem } from './contract/duration.js';
import { durableResultsSchema, durableStepSchema } from './contract/durable-contract.js';
import { concurrencyListSchema, taskRateLimitListSchema } from './contract/flow-control-contract.js';
import { metadataMapSchema } from './contract/metadata-contract.js';

export * from './contract/flow-control-contract.js';
export * from './contract/durable-contract.js';
export * from './contract/metadata-contract.js';

/** Largest value a Postgres `integer` column holds (pids, attempts, versions, line numbers). */
export const MAX_INT4 = 2_147_483_647;

/** Names become parts of queue names: keep them to a safe alphabet. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,99}$/;
export const nameSchema = z
  .string()
  .regex(NAME_PATTERN, 'must start with a letter or digit and use only letters, digits, "-" and "_" (max 100)');

const jsonObject = z.record(z.string(), z.unknown());
export const additionalMetadataSchema = metadataMapSchema.optional();

/** A duration such as '30s' or '1h30m'. */
export const durationSchema = z.string().superRefine((text, ctx) => {
  const problem = durationProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** A cron expression (UTC, 5 fields or 6 with seconds). */
export const cronSchema = z.string().superRefine((text, ctx) => {
  const problem = cronProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** An event key, or a pattern with `*` wildcards (`ticket:*`). */
export const eventKeySchema = z.string().min(1).max(200);

/** Hatchet's defaults: a task may wait 5 minutes for a worker and run for 60 seconds. */
export const DEFAULT_EXECUTION_TIMEOUT = '60s';
export const DEFAULT_SCHEDULE_TIMEOUT = '5m';

export const backoffSchema = z.object({
  /** Retry k waits factor^k seconds… */
  factor: z.number().min(1).max(10),
  /** …but never more than this. */
  maxSeconds: z.number().positive().max(86_400),
});
export type Backoff = z.infer<typeof backoffSchema>;

export const taskDefinitionSchema = z.object({
  name: nameSchema,
  parents: z.array(z.string().max(100)).max(500).default([]),
  retries: z.number().int().min(0).max(100).default(0),
  backoff: backoffSchema.optional(),
  executionTimeout: durationSchema.default(DEFAULT_EXECUTION_TIMEOUT),
  scheduleTimeout: durationSchema.default(DEFAULT_SCHEDULE_TIMEOUT),
  /** Task runs of one key running at once (over all runs of the workflow). */
  concurrency: concurrencyListSchema,
  rateLimits: taskRateLimitListSchema,
  /** A durable task: its `ctx.sleepFor` / `waitForEvent` / `spawnChild` steps survive restarts and hold no worker slot while waiting. */
  durable: z.boolean().optional(),
});
export type TaskDefinition = z.infer<typeof taskDefinitionSchema>;

export const prioritySchema = z.number().int().min(1).max(3);

export const workflowDefinitionSchema = z.object({
  name: nameSchema,
  description: z.string().max(2000).optional(),
  /** A standalone `ws.task()` is a one-task workflow whose run output is the task's output. */
  kind: z.enum(['workflow', 'task']).default('workflow'),
  tasks: z.array(taskDefinitionSchema).min(1, 'a workflow needs at least one task').max(500, 'a workflow has at most 500 tasks'),
  /** Runs when any other task of the run failed; the run stays FAILED. */
  onFailure: taskDefinitionSchema.omit({ parents: true }).optional(),
  /** Event keys (wildcards allowed) that start a run with the event's payload as input. */
  onEvents: z.array(eventKeySchema).max(50).default([]),
  /** Cron expressions (UTC) that start a run with `{}` as input. */
  onCrons: z.array(cronSchema).max(50).default([]),
  defaultPriority: prioritySchema.default(1),
  /** JSON Schema of the input (from the workflow's zod `inputValidator`); the server refuses other input. */
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  /** Runs of one key running at once; over the limit a run waits (or one is cancelled, per strategy). */
  concurrency: concurrencyListSchema,
});
export type WorkflowDefinition = z.infer<typeof workflowDefinitionSchema>;

// ---- REST: workers -------------------------------------------------------

/** Inputs, outputs and events are limited to this many bytes of JSON unless the server says otherwise. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** The error a task gets when its output is over the limit (the SDK worker and the engine say the same). */
export function payloadTooLargeMessage(bytes: number, limit: number): string {
  return `Task output is ${bytes} bytes; the limit is ${limit} bytes`;
}

export const registerWorkerRequestSchema = z.object({
  name: z.string().min(1).max(200),
  workflows: z
    .array(workflowDefinitionSchema)
    .min(1, 'a worker needs at least one workflow')
    .max(1000, 'a worker registers at most 1000 workflows'),
  hostname: z.string().max(255).optional(),
  /** The worker's process id (stored as a Postgres integer). */
  pid: z.number().int().min(0).max(MAX_INT4).optional(),
});
export type RegisterWorkerRequest = z.infer<typeof registerWorkerRequestSchema>;

export const transportConnectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('redis'), url: z.string(), prefix: z.string() }),
  z.object({ kind: z.literal('postgres'), connectionString: z.string(), schema: z.string() }),
]);
export type TransportConnection = z.infer<typeof transportConnectionSchema>;

export const registerWorkerResponseSchema = z.object({
  workerId: z.string(),
  transport: transportConnectionSchema,
  heartbeatIntervalMs: z.number().int().positive(),
  /** Largest task output (JSON bytes) the server accepts; the worker fails a task whose output is bigger. */
  maxPayloadBytes: z.number().int().positive().default(DEFAULT_MAX_PAYLOAD_BYTES),
  /** BullMQ lock duration for task jobs: a worker that dies mid-task loses its jobs after this long. */
  lockDurationMs: z.number().int().positive().default(30_000),
  workflows: z.array(z.object({ name: z.string(), version: z.number().int() })),
});
export type RegisterWorkerResponse = z.infer<typeof registerWorkerResponseSchema>;

// ---- REST: runs ----------------------------------------------------------

export const idempotencyKeySchema = z.string().min(1).max(200);

export const triggerRunRequestSchema = z.object({
  input: z.unknown().default({}),
  additionalMetadata: additionalMetadataSchema,
  priority: prioritySchema.optional(),
  /** A second trigger with the same key (within the project) returns the first run's id. */
  idempotencyKey: idempotencyKeySchema.optional(),
  /** A child run: the task run spawning it, and the child's key among that task's children (a retried parent gets the same child back). */
  parent: z.object({ taskRunId: z.string().uuid(), key: z.string().min(1).max(200) }).optional(),
});
export type TriggerRunRequest = z.infer<typeof triggerRunRequestSchema>;

/** Most runs one bulk trigger may start (the whole body is also limited to the server's payload limit). */
export const MAX_BULK_RUNS = 1000;

/** One run of a bulk trigger: a trigger without `parent` (children are started one by one). */
export const bulkRunItemSchema = triggerRunRequestSchema.extend({
  parent: z.never({ error: 'child runs are started one by one (POST /workflows/:name/runs), not in bulk' }).optional(),
});
export type BulkTriggerRunItem = z.infer<typeof bulkRunItemSchema>;

/** `POST /api/v1/workflows/:name/runs/bulk`: runs of one workflow, answered with their ids in order. A bad item (its index is in the error) starts none of them. */
export const bulkTriggerRunsRequestSchema = z.object({
  runs: z.array(bulkRunItemSchema).max(MAX_BULK_RUNS, `at most ${MAX_BULK_RUNS} runs per request`),
});
export type BulkTriggerRunsRequest = z.infer<typeof bulkTriggerRunsRequestSchema>;
export const bulkTriggerRunsResponseSchema = z.object({ runIds: z.array(z.string()) });

export const runStatusSchema = z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
export type RunStatus = z.infer<typeof runStatusSchema>;
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export const runSummarySchema = z.object({
  id: z.string(),
  workflow: z.string(),
  status: runStatusSchema,
  output: z.unknown().optional(),
  error: z.string().nullable().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const errorBodySchema = z.object({ error: z.string() });

// ---- Queues --------------------------------------------------------------

/** One queue per action, so a task only ever reaches a worker that registered it. */
export function taskQueueName(workflow: string, task: string): string {
  return `task.${workflow}.${task}`;
}

/** Workers report back to the engine through this queue. */
export const WORKER_REPORTS_QUEUE = 'engine-events';

/** One queue per worker process, for messages from the engine (cancellations). */
export function workerControlQueueName(workerId: string): string {
  return `control.${workerId}`;
}

export const controlMessageSchema = z.object({
  type: z.literal('cancel'),
  taskRunId: z.string(),
  reason: z.string(),
});
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/** The BullMQ job id of one attempt of a task run (each retry is a new job). */
export function taskJobId(taskRunId: string, attempt: number): string {
  return `${taskRunId}-a${attempt}`;
}

export const taskJobSchema = z.object({
  taskRunId: z.string(),
  runId: z.string(),
  workflow: z.string(),
  task: z.string(),
  /** The attempt this job is; a job re-delivered after its worker died counts one more. */
  attempt: z.number().int().positive().max(MAX_INT4).default(1),
  input: z.unknown(),
  parentOutputs: jsonObject,
  additionalMetadata: z.record(z.string(), z.string()).default({}),
  executionTimeoutMs: z.number().int().positive().max(MAX_INT4).default(60_000),
  /** A worker that receives the job after this time fails it without running it (scheduleTimeout). */
  scheduleDeadline: z.string().optional(),
  /** For an onFailure task: the error of each failed task. */
  taskErrors: z.record(z.string(), z.string()).optional(),
  /** A playground run: the value `ctx.playground(name, …)` returns instead of its default, by name. */
  overrides: z.record(z.string(), z.unknown()).optional(),
  /** A durable task: the results of its completed steps, by step index (replayed, not run again). */
  durableResults: durableResultsSchema.optional(),
});
export type TaskJob = z.infer<typeof taskJobSchema>;

export const logLineSchema = z.object({
  level: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
  message: z.string(),
  at: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

/** Token counts are stored as Postgres integers. */
export const MAX_USAGE_TOKENS = 2_147_483_647;
export const MAX_USAGE_COST_USD = 1_000_000;
/** Calls one report carries; the SDK merges calls of the same model past this. */
export const MAX_USAGE_ENTRIES = 1000;
/** One LLM call reported by a task with `ctx.usage()`; it travels with the attempt's result. */
export const llmUsageSchema = z.object({
  model: z.string().trim().min(1).max(200),
  provider: z.string().trim().min(1).max(100).optional(),
  inputTokens: z.number().int().min(0).max(MAX_USAGE_TOKENS),
  outputTokens: z.number().int().min(0).max(MAX_USAGE_TOKENS),
  /** What the call cost, when the task knows; otherwise the engine computes it from the model's price. */
  costUsd: z.number().min(0).max(MAX_USAGE_COST_USD).optional(),
});
export type LlmUsage = z.infer<typeof llmUsageSchema>;
const usageListSchema = z.array(llmUsageSchema).max(MAX_USAGE_ENTRIES);

/** A playground variable's name: what `ctx.playground(name, …)` accepts. */
export const PLAYGROUND_NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
/** Variables one attempt may declare. */
export const MAX_PLAYGROUND_VARIABLES = 100;
/** One `ctx.playground()` call of an attempt; it travels with the attempt's result. */
export const playgroundVariableSchema = z.object({
  name: z.string().regex(PLAYGROUND_NAME_PATTERN),
  default: z.unknown(),
  value: z.unknown(),
  /** The value came from the job's `overrides`, not the default in code. */
  overridden: z.boolean(),
  /** Where the call is in the user's source (path relative to the repository root, 1-based), when known. */
  callsite: z
    .object({
      file: z.string().min(1).max(1000),
      line: z.number().int().positive().max(MAX_INT4),
      column: z.number().int().positive().max(MAX_INT4),
    })
    .nullable(),
});
export type PlaygroundVariable = z.infer<typeof playgroundVariableSchema>;
const variableListSchema = z.array(playgroundVariableSchema).max(MAX_PLAYGROUND_VARIABLES);

/** Output checks one task may declare (`checks` in its options). */
export const MAX_DECLARED_CHECKS = 20;
/** One declared output check as the worker evaluated it on the attempt's output; it travels with the result. */
export const declaredCheckResultSchema = z.object({
  name: z.string().min(1).max(200),
  passed: z.boolean(),
  /** Why it failed, when known (a check that threw: its error). */
  message: z.string().max(1000).optional(),
});
export type DeclaredCheckResult = z.infer<typeof declaredCheckResultSchema>;

// Every report names its worker: the engine may process them out of order.
const eventBase = { taskRunId: z.string(), attempt: z.number().int().positive().max(MAX_INT4), workerId: z.string() };

export const workerReportSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('task.started'), ...eventBase, at: z.string() }),
  z.object({ type: z.literal('task.log'), ...eventBase, lines: z.array(logLineSchema) }),
  z.object({
    type: z.literal('task.succeeded'),
    ...eventBase,
    output: z.unknown(),
    at: z.string(),
    /** When the attempt started, if no task.started was sent (a task that finished within STARTED_REPORT_DELAY_MS). */
    startedAt: z.string().optional(),
    usage: usageListSchema.optional(),
    variables: variableListSchema.optional(),
    /** The task's declared output checks on this output. */
    checks: z.array(declaredCheckResultSchema).max(MAX_DECLARED_CHECKS).optional(),
  }),
  z.object({
    type: z.literal('task.failed'),
    ...eventBase,
    error: z.object({ message: z.string(), name: z.string().optional(), stack: z.string().optional() }),
    /** error and timeout are retried while attempts remain; the other kinds never are. */
    kind: z.enum(['error', 'timeout', 'non-retryable', 'schedule-timeout', 'cancelled']).default('error'),
    at: z.string(),
    startedAt: z.string().optional(),
    /** A failed attempt's LLM calls cost money too. */
    usage: usageListSchema.optional(),
    variables: variableListSchema.optional(),
  }),
  /** A durable task stopped at a step it must wait for; the worker slot is free and the engine resumes the task when the step completes. */
  z.object({
    type: z.literal('task.suspended'),
    ...eventBase,
    step: durableStepSchema,
    at: z.string(),
    usage: usageListSchema.optional(),
    variables: variableListSchema.optional(),
  }),
]);
export type WorkerReport = z.infer<typeof workerReportSchema>;

// ---- DAG validation (shared so SDK and server refuse the same things) -----

/**
 * Returns a message naming the offending task, or null when the tasks form a
 * valid DAG (unique names, known parents, no cycles).
 */
export function findDagProblem(workflow: string, tasks: readonly Pick<TaskDefinition, 'name' | 'parents'>[]): string | null {
  const byName = new Map<string, Pick<TaskDefinition, 'name' | 'parents'>>();
  for (const task of tasks) {
    if (byName.has(task.name)) return `Workflow '${workflow}': task '${task.name}' is defined twice`;
    byName.set(task.name, task);
  }
  for (const task of tasks) {
    for (const parent of task.parents) {
      if (parent === task.name) return `Workflow '${workflow}': task '${task.name}' lists itself as a parent`;
      if (!byName.has(parent)) {
        return `Workflow '${workflow}': task '${task.name}' has parent '${parent}', which is not a task of this workflow`;
      }
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): string | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' -> ');
      return `Workflow '${workflow}': task '${name}' is part of a cycle (${cycle})`;
    }
    state.set(name, 'visiting');
    for (const parent of byName.get(name)?.parents ?? []) {
      const problem = visit(parent, [...path, name]);
      if (problem) return problem;
    }
    state.set(name, 'done');
    return null;
  };
  for (const task of tasks) {
    const problem = visit(task.name, []);
    if (problem) return problem;
  }
  return null;
}

export * from './contract/events-contract.js';
export * from './contract/schedules-contract.js';
export { parseDuration, durationProblem } from './contract/duration.js';
export { cronProblem, nextCronTimes } from './contract/cron.js';
