import { parseDuration, type Backoff, type TaskDefinition, type WorkflowDefinition } from '@whetstone/sdk/contract';
import { workflowDefinitionSchema } from '@whetstone/sdk/contract';

/** What the engine needs of one task's definition, with durations in milliseconds. */
export interface TaskPolicy {
  retries: number;
  backoff?: Backoff;
  executionTimeoutMs: number;
  scheduleTimeoutMs: number;
}

/** Attempts a task may lose to infrastructure (its worker died, its queue was flushed) beyond its own retries. */
export const EXTRA_LOST_ATTEMPTS = 5;

/** Parsed definitions by workflow version id: a version never changes, and every report reads one. */
const parsed = new Map<string, WorkflowDefinition>();
const MAX_CACHED_VERSIONS = 1_000;

/** The stored definition of a workflow version, parsed once per version. */
export function definitionOf(version: { id: string; definition: unknown }): WorkflowDefinition {
  let definition = parsed.get(version.id);
  if (!definition) {
    definition = workflowDefinitionSchema.parse(version.definition);
    if (parsed.size >= MAX_CACHED_VERSIONS) parsed.clear();
    parsed.set(version.id, definition);
  }
  return definition;
}

export function taskPolicy(definition: WorkflowDefinition, taskName: string): TaskPolicy {
  const task: Omit<TaskDefinition, 'parents'> | undefined =
    definition.tasks.find((t) => t.name === taskName) ?? (definition.onFailure?.name === taskName ? definition.onFailure : undefined);
  if (!task) return { retries: 0, executionTimeoutMs: 60_000, scheduleTimeoutMs: 300_000 };
  return {
    retries: task.retries,
    backoff: task.backoff,
    executionTimeoutMs: parseDuration(task.executionTimeout),
    scheduleTimeoutMs: parseDuration(task.scheduleTimeout),
  };
}

/** Delay before retry number `retry` (1 = first retry): factor^retry seconds, capped; none without backoff. */
export function retryDelayMs(backoff: Backoff | undefined, retry: number): number {
  if (!backoff) return 0;
  return Math.round(Math.min(backoff.maxSeconds, backoff.factor ** retry) * 1000);
}
