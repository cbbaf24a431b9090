export { Whetstone, type WhetstoneOptions } from './client.js';
export {
  Workflow,
  RunRef,
  WhetstoneRunError,
  type TaskRef,
  type TaskFn,
  type TaskOptions,
  type TaskPolicyOptions,
  type WorkflowOptions,
  type RunOptions,
} from './workflow.js';
export { NonRetryableError, TaskTimeoutError, TaskCancelledError } from './errors.js';
export { Context, type LogLevel } from './context.js';
export { WhetstoneWorker, PayloadTooLargeError, type WorkerOptions } from './worker.js';
export { WhetstoneApiError } from './http.js';
export { ScheduleClient, type Schedule, type ScheduleOptions } from './schedules.js';
export { EventsClient, type PushEventOptions, type ListEventsOptions } from './events.js';
export type { EventSummary, EventDetail, PushEventResponse, ListEventsResponse, ReplayEventResponse } from './contract.js';
export type { Backoff, RunStatus, RunSummary, WorkflowDefinition } from './contract.js';
