export { Whetstone, type WhetstoneOptions } from './client.js';
export {
  Workflow,
  RunRef,
  WhetstoneRunError,
  type TaskRef,
  type TaskFn,
  type TaskOptions,
  type DurableTaskOptions,
  type TaskPolicyOptions,
  type WorkflowOptions,
  type RunOptions,
} from './workflow.js';
export { NonRetryableError, TaskTimeoutError, TaskCancelledError } from './errors.js';
export { Context, type LogLevel } from './context.js';
export { DurableContext, DurableSuspension, ChildRunFailedError, type DurableTaskFn } from './durable-context.js';
export type { ChildRunOptions, ChildSpawn } from './children.js';
export { WhetstoneWorker, PayloadTooLargeError, type WorkerOptions } from './worker.js';
export { WhetstoneApiError } from './http.js';
export { RateLimitsClient, type RateLimit, type UpsertRateLimitOptions } from './ratelimits.js';
export { ScheduleClient, type Schedule, type ScheduleOptions } from './schedules.js';
export { EventsClient, type PushEventOptions, type ListEventsOptions } from './events.js';
export type { EventSummary, EventDetail, PushEventResponse, ListEventsResponse, ReplayEventResponse } from './contract.js';
export type { Backoff, RunStatus, RunSummary, WorkflowDefinition } from './contract.js';
export { loadDeclarativeWorkflows, readDeclarativeWorkflows } from './declarative/load.js';
export { parseDeclarativeWorkflow, type DeclarativeWorkflowSpec, type DeclarativeJob, type DeclarativeStep } from './declarative/parse.js';
export { compileDeclarativeWorkflow, type WorkflowFactory } from './declarative/compile.js';
export { DeclarativeWorkflowError, type DeclarativeProblem } from './declarative/errors.js';
export type { ActionFn } from './declarative/actions.js';
export type { DeclarativeOption } from './declarative/worker-workflows.js';
