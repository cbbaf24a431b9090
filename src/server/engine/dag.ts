// Pure DAG helpers over task runs (name + parents + status).
import { isTerminalTaskStatus, type TerminalRunStatus } from '@/server/shared/statuses';

export interface DagNode {
  taskName: string;
  parents: string[];
  status: string;
}

/** Pending tasks whose parents have all succeeded. */
export function readyTasks<T extends DagNode>(tasks: readonly T[]): T[] {
  const status = new Map(tasks.map((t) => [t.taskName, t.status]));
  return tasks.filter((t) => t.status === 'PENDING' && t.parents.every((p) => status.get(p) === 'SUCCEEDED'));
}

/** Every task downstream of `taskName` (children, grandchildren, …). */
export function descendants(tasks: readonly DagNode[], taskName: string): string[] {
  const found = new Set<string>();
  const queue = [taskName];
  while (queue.length) {
    const current = queue.shift()!;
    for (const t of tasks) {
      if (t.parents.includes(current) && !found.has(t.taskName)) {
        found.add(t.taskName);
        queue.push(t.taskName);
      }
    }
  }
  return [...found];
}

/** The run's final status once every task is terminal, else null. */
export function finalRunStatus(tasks: readonly DagNode[]): TerminalRunStatus | null {
  if (!tasks.every((t) => isTerminalTaskStatus(t.status))) return null;
  if (tasks.every((t) => t.status === 'SUCCEEDED')) return 'SUCCEEDED';
  if (tasks.some((t) => t.status === 'FAILED')) return 'FAILED';
  return 'CANCELLED';
}
