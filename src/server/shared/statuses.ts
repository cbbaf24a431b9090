// The statuses of runs, tasks and attempts, defined once for the engine, the features and the
// dashboard. Run statuses come from the SDK's wire contract; task and attempt statuses are the
// Prisma enums, checked against the schema at compile time (a status added to the schema breaks
// the build until it is sorted into open or terminal here).
import { runStatusSchema, TERMINAL_RUN_STATUSES as CONTRACT_TERMINAL_RUN_STATUSES, type RunStatus } from '@whetstone/sdk/contract';
import type { AttemptStatus, RunStatus as SchemaRunStatus, TaskStatus } from '@/server/generated/prisma/enums';

/** Compiles to `Listed` only when it names every member of `All`, else to `never` (and every use fails to compile). */
type Complete<All extends string, Listed extends All> = [Exclude<All, Listed>] extends [never] ? Listed : never;

// ---- Runs -------------------------------------------------------------------------------------

/** A run's status: the wire contract's, which must be the schema's RunStatus enum. */
export type RunStatusName = Complete<SchemaRunStatus, RunStatus>;

/** Every run status in lifecycle order (the contract's `runStatusSchema`, the source). */
export const RUN_STATUSES: readonly RunStatusName[] = runStatusSchema.options;

/** Runs that can still change: a page showing one is polled, a cancel or a child spawn applies to them. */
export const UNFINISHED_RUN_STATUSES = ['QUEUED', 'RUNNING'] as const satisfies readonly RunStatusName[];
export type UnfinishedRunStatus = (typeof UNFINISHED_RUN_STATUSES)[number];
export type TerminalRunStatus = Exclude<RunStatusName, UnfinishedRunStatus>;

/** Runs that have ended (the contract's list, the one the SDK's client waits for). */
export const TERMINAL_RUN_STATUSES = CONTRACT_TERMINAL_RUN_STATUSES as readonly TerminalRunStatus[];

export function isTerminalRunStatus(status: string): status is TerminalRunStatus {
  return (TERMINAL_RUN_STATUSES as readonly string[]).includes(status);
}

export function isUnfinishedRunStatus(status: string): status is UnfinishedRunStatus {
  return (UNFINISHED_RUN_STATUSES as readonly string[]).includes(status);
}

// ---- Tasks ------------------------------------------------------------------------------------

/** Tasks that have not ended: not started yet (PENDING), queued, running or suspended (WAITING, a durable task between steps). */
export const OPEN_TASK_STATUSES = ['PENDING', 'QUEUED', 'RUNNING', 'WAITING'] as const satisfies readonly TaskStatus[];
/** Tasks that have ended (SKIPPED: it never ran, an upstream task did not succeed or the onFailure task was not needed). */
export const TERMINAL_TASK_STATUSES = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED'] as const satisfies readonly TaskStatus[];
/** Open tasks whose current attempt has a job: queued for a worker, or held by one. */
export const DISPATCHED_TASK_STATUSES = ['QUEUED', 'RUNNING'] as const satisfies readonly (typeof OPEN_TASK_STATUSES)[number][];

export type OpenTaskStatus = (typeof OPEN_TASK_STATUSES)[number];
export type TerminalTaskStatus = (typeof TERMINAL_TASK_STATUSES)[number];
/** A task's status: the schema's TaskStatus enum, every member sorted into open or terminal. */
export type TaskStatusName = Complete<TaskStatus, OpenTaskStatus | TerminalTaskStatus>;

/** Every task status in lifecycle order (the schema's order). */
export const TASK_STATUSES: readonly TaskStatusName[] = [...OPEN_TASK_STATUSES, ...TERMINAL_TASK_STATUSES];

export function isTerminalTaskStatus(status: string): status is TerminalTaskStatus {
  return (TERMINAL_TASK_STATUSES as readonly string[]).includes(status);
}

export function isOpenTaskStatus(status: string): status is OpenTaskStatus {
  return (OPEN_TASK_STATUSES as readonly string[]).includes(status);
}

// ---- Attempts ---------------------------------------------------------------------------------

/** Attempts not yet decided: their result is written once, conditionally on being one of these. */
export const OPEN_ATTEMPT_STATUSES = ['QUEUED', 'RUNNING'] as const satisfies readonly AttemptStatus[];
/** How an attempt ended. */
export const CLOSED_ATTEMPT_STATUSES = [
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'LOST',
  'CANCELLED',
] as const satisfies readonly AttemptStatus[];

export type OpenAttemptStatus = (typeof OPEN_ATTEMPT_STATUSES)[number];
export type ClosedAttemptStatus = (typeof CLOSED_ATTEMPT_STATUSES)[number];
/** An attempt's status: the schema's AttemptStatus enum, every member sorted into open or closed. */
export type AttemptStatusName = Complete<AttemptStatus, OpenAttemptStatus | ClosedAttemptStatus>;

/** Every attempt status in lifecycle order (the schema's order). */
export const ATTEMPT_STATUSES: readonly AttemptStatusName[] = [...OPEN_ATTEMPT_STATUSES, ...CLOSED_ATTEMPT_STATUSES];
