import { runStatusSchema, TERMINAL_RUN_STATUSES as CONTRACT_TERMINAL_RUN_STATUSES } from '@whetstone/sdk/contract';
import { describe, expect, it } from 'vitest';
import {
  ATTEMPT_STATUSES,
  CLOSED_ATTEMPT_STATUSES,
  DISPATCHED_TASK_STATUSES,
  isOpenTaskStatus,
  isTerminalRunStatus,
  isTerminalTaskStatus,
  isUnfinishedRunStatus,
  OPEN_ATTEMPT_STATUSES,
  OPEN_TASK_STATUSES,
  RUN_STATUSES,
  TASK_STATUSES,
  TERMINAL_RUN_STATUSES,
  TERMINAL_TASK_STATUSES,
  UNFINISHED_RUN_STATUSES,
} from './statuses';

describe('run statuses', () => {
  it('are the wire contract’s, in order', () => {
    expect(RUN_STATUSES).toEqual(runStatusSchema.options);
    expect(RUN_STATUSES).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
    expect(TERMINAL_RUN_STATUSES).toEqual(CONTRACT_TERMINAL_RUN_STATUSES);
  });
  it('are each either unfinished or terminal', () => {
    expect([...UNFINISHED_RUN_STATUSES, ...TERMINAL_RUN_STATUSES].sort()).toEqual([...RUN_STATUSES].sort());
    expect(RUN_STATUSES.map(isTerminalRunStatus)).toEqual([false, false, true, true, true]);
    expect(RUN_STATUSES.map(isUnfinishedRunStatus)).toEqual([true, true, false, false, false]);
  });
  it('are not task-only statuses', () => {
    expect(isTerminalRunStatus('SKIPPED')).toBe(false);
    expect(isUnfinishedRunStatus('PENDING')).toBe(false);
  });
});

describe('task statuses', () => {
  it('are the schema’s, in order, each either open or terminal', () => {
    expect(TASK_STATUSES).toEqual(['PENDING', 'QUEUED', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED']);
    expect(TASK_STATUSES.map((s) => isOpenTaskStatus(s) !== isTerminalTaskStatus(s))).toEqual(TASK_STATUSES.map(() => true));
    expect(TERMINAL_TASK_STATUSES.every(isTerminalTaskStatus) && OPEN_TASK_STATUSES.every(isOpenTaskStatus)).toBe(true);
  });
  it('dispatched tasks (a job exists) are open', () => {
    expect(DISPATCHED_TASK_STATUSES).toEqual(['QUEUED', 'RUNNING']);
    expect(DISPATCHED_TASK_STATUSES.every(isOpenTaskStatus)).toBe(true);
  });
});

describe('attempt statuses', () => {
  it('are the schema’s, in order, each either open or closed', () => {
    expect(ATTEMPT_STATUSES).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'LOST', 'CANCELLED']);
    expect([...OPEN_ATTEMPT_STATUSES, ...CLOSED_ATTEMPT_STATUSES]).toEqual(ATTEMPT_STATUSES);
  });
});
