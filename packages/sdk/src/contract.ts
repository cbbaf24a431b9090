// The wire contract between SDK and server: every request/response body and
// every queue payload, validated with zod on both sides. The server imports
// this module (`@whetstone/sdk/contract`) rather than redefining shapes.
import { z } from 'zod';

/** Names become parts of queue names: keep them to a safe alphabet. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,99}$/;
export const nameSchema = z
  .string()
  .regex(NAME_PATTERN, 'must start with a letter or digit and use only letters, digits, "-" and "_" (max 100)');

const jsonObject = z.record(z.string(), z.unknown());
export const additionalMetadataSchema = z.record(z.string(), z.string().max(1000)).optional();

export const taskDefinitionSchema = z.object({
  name: nameSchema,
  parents: z.array(z.string()).default([]),
});
export type TaskDefinition = z.infer<typeof taskDefinitionSchema>;

export const workflowDefinitionSchema = z.object({
  name: nameSchema,
  description: z.string().max(2000).optional(),
  /** A standalone `ws.task()` is a one-task workflow whose run output is the task's output. */
  kind: z.enum(['workflow', 'task']).default('workflow'),
  tasks: z.array(taskDefinitionSchema).min(1, 'a workflow needs at least one task'),
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
  workflows: z.array(workflowDefinitionSchema).min(1, 'a worker needs at least one workflow'),
  hostname: z.string().max(255).optional(),
  pid: z.number().int().optional(),
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
  workflows: z.array(z.object({ name: z.string(), version: z.number().int() })),
});
export type RegisterWorkerResponse = z.infer<typeof registerWorkerResponseSchema>;

// ---- REST: runs ----------------------------------------------------------

export const triggerRunRequestSchema = z.object({
  input: z.unknown().default({}),
  additionalMetadata: additionalMetadataSchema,
});
export type TriggerRunRequest = z.infer<typeof triggerRunRequestSchema>;

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
export const ENGINE_EVENTS_QUEUE = 'engine-events';

export const taskJobSchema = z.object({
  taskRunId: z.string(),
  runId: z.string(),
  workflow: z.string(),
  task: z.string(),
  input: z.unknown(),
  parentOutputs: jsonObject,
  additionalMetadata: z.record(z.string(), z.string()).default({}),
});
export type TaskJob = z.infer<typeof taskJobSchema>;

export const logLineSchema = z.object({
  level: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
  message: z.string(),
  at: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

// Every report names its worker: the engine may process them out of order.
const eventBase = { taskRunId: z.string(), attempt: z.number().int().positive(), workerId: z.string() };

export const engineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('task.started'), ...eventBase, at: z.string() }),
  z.object({ type: z.literal('task.log'), ...eventBase, lines: z.array(logLineSchema) }),
  z.object({ type: z.literal('task.succeeded'), ...eventBase, output: z.unknown(), at: z.string() }),
  z.object({
    type: z.literal('task.failed'),
    ...eventBase,
    error: z.object({ message: z.string(), name: z.string().optional(), stack: z.string().optional() }),
    at: z.string(),
  }),
]);
export type EngineEvent = z.infer<typeof engineEventSchema>;

// ---- DAG validation (shared so SDK and server refuse the same things) -----

/**
 * Returns a message naming the offending task, or null when the tasks form a
 * valid DAG (unique names, known parents, no cycles).
 */
export function findDagProblem(workflow: string, tasks: readonly TaskDefinition[]): string | null {
  const byName = new Map<string, TaskDefinition>();
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
