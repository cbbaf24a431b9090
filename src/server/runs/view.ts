// Pure helpers that shape runs for the dashboard (no database, no I/O). Statuses, limits and
// paths are shared vocabulary: src/server/shared.
import type { TriggerSource } from '@/server/generated/prisma/enums';
import { RUN_STATUSES, type RunStatusName } from '@/server/shared/statuses';

/** What started a run (the TriggerSource enum). PLAYGROUND runs are experiments: the runs list hides them unless asked. */
export const TRIGGER_SOURCES = [
  'API',
  'DASHBOARD',
  'EVENT',
  'CRON',
  'SCHEDULE',
  'REPLAY',
  'PLAYGROUND',
] as const satisfies readonly TriggerSource[];
export type TriggerSourceName = (typeof TRIGGER_SOURCES)[number];
/** The runs list's trigger filter: one source, or ALL (playground runs included); none given = all but playground. */
export const TRIGGER_FILTERS = [...TRIGGER_SOURCES, 'ALL'] as const;
export type TriggerFilter = (typeof TRIGGER_FILTERS)[number];

/** Quick time ranges of the runs list ("since=24h" in the URL): runs created in the last … */
export const TIME_PRESETS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type TimePreset = keyof typeof TIME_PRESETS;
export const TIME_PRESET_NAMES = Object.keys(TIME_PRESETS) as TimePreset[];

/** Wall time between start and finish; null while not started or not finished. */
export function durationMs(startedAt: Date | null, finishedAt: Date | null): number | null {
  if (!startedAt || !finishedAt) return null;
  return Math.max(0, finishedAt.getTime() - startedAt.getTime());
}

/** `{ QUEUED: 0, RUNNING: 0, ... }` filled from groupBy rows. */
export function countByStatus(rows: ReadonlyArray<{ status: RunStatusName; count: number }>): Record<RunStatusName, number> {
  const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatusName, number>;
  for (const row of rows) counts[row.status] += row.count;
  return counts;
}

export interface DagNode {
  taskName: string;
  parents: readonly string[];
}

/**
 * Orders tasks so every task comes after its parents (Kahn's algorithm).
 * Ties keep the input order, so callers pass tasks sorted by creation.
 * `depth` is the longest path from a root (roots are 0). Parents that are not
 * in the list are ignored; tasks caught in a cycle (corrupt data) are appended
 * in input order rather than dropped.
 */
export function topoSortTasks<T extends DagNode>(tasks: readonly T[]): Array<T & { depth: number }> {
  const byName = new Map(tasks.map((t) => [t.taskName, t]));
  const pending = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const task of tasks) {
    const known = [...new Set(task.parents)].filter((p) => byName.has(p) && p !== task.taskName);
    pending.set(task.taskName, known.length);
    for (const p of known) children.set(p, [...(children.get(p) ?? []), task.taskName]);
  }

  const depth = new Map<string, number>();
  const out: Array<T & { depth: number }> = [];
  const placed = new Set<string>();
  // Repeatedly take the first ready task in input order (n is small: tasks per run).
  let progress = true;
  while (progress) {
    progress = false;
    for (const task of tasks) {
      if (placed.has(task.taskName) || pending.get(task.taskName) !== 0) continue;
      const d = Math.max(-1, ...task.parents.map((p) => (depth.has(p) ? depth.get(p)! : -1))) + 1;
      depth.set(task.taskName, d);
      placed.add(task.taskName);
      out.push({ ...task, depth: d });
      for (const c of children.get(task.taskName) ?? []) pending.set(c, (pending.get(c) ?? 1) - 1);
      progress = true;
      break;
    }
  }
  for (const task of tasks) {
    if (placed.has(task.taskName)) continue;
    placed.add(task.taskName);
    out.push({ ...task, depth: 0 });
  }
  return out;
}
