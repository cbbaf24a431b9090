export { Whetstone, type WhetstoneOptions } from './client/client.js';
export {
  Workflow,
  type TaskFn,
  type TaskOptions,
  type DurableTaskOptions,
  type TaskPolicyOptions,
  type WorkflowOptions,
} from './workflow/workflow.js';
export { RunRef, WhetstoneRunError } from './workflow/run-ref.js';
export type { TaskRef } from './workflow/workflow.interface.js';
export type { RunOptions } from './client/client.interface.js';
export { NonRetryableError, TaskTimeoutError, TaskCancelledError, PayloadTooLargeError } from './worker/errors.js';
export { Context, type LogLevel } from './context/context.js';
export { DurableContext, DurableSuspension, ChildRunFailedError, type DurableTaskFn } from './context/durable-context.js';
export type { ChildRunOptions, ChildSpawn } from './context/children.js';
export { WhetstoneWorker, type WorkerOptions } from './worker/worker.js';
export { WhetstoneApiError } from './client/http.js';
export { RateLimitsClient, type RateLimit, type UpsertRateLimitOptions } from './client/ratelimits.js';
export { ScheduleClient, type Schedule, type ScheduleOptions } from './client/schedules.js';
export { EventsClient, type PushEventOptions, type ListEventsOptions } from './client/events.js';
export type { EventSummary, EventDetail, PushEventResponse, ListEventsResponse, ReplayEventResponse } from './contract.js';
export type { Backoff, RunStatus, RunSummary, WorkflowDefinition } from './contract.js';
export { loadDeclarativeWorkflows, readDeclarativeWorkflows } from './declarative/load.js';
export { parseDeclarativeWorkflow, type DeclarativeWorkflowSpec, type DeclarativeJob, type DeclarativeStep } from './declarative/parse.js';
export { compileDeclarativeWorkflow, type WorkflowFactory } from './declarative/compile.js';
export { DeclarativeWorkflowError, type DeclarativeProblem } from './declarative/errors.js';
export type { ActionFn } from './declarative/actions.js';
export type { DeclarativeOption } from './declarative/worker-workflows.js';
