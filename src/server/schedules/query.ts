import type { ScheduleInfo } from '@whetstone/sdk/contract';
import type { PrismaClient } from '@/server/db/client';
import { listAllSchedules } from '@/server/engine/schedules/schedules';
import { cronIdempotencyKey, onceIdempotencyKey } from '@/server/engine/schedules/keys';

/**
 * The run a schedule last started. Firing starts runs with a known idempotency key (one per
 * cron tick, one per one-off), so the lookup uses the (projectId, idempotencyKey) unique index
 * rather than scanning runs by schedule.
 */
function lastRunKey(s: ScheduleInfo): string | null {
  if (s.kind === 'ONCE') return s.firedAt ? onceIdempotencyKey(s.id) : null;
  return s.lastFiredAt ? cronIdempotencyKey(s.id, new Date(s.lastFiredAt)) : null;
}

/** Every cron and one-off schedule of the project, with the run each last started, and the workflows one can schedule. */
export async function loadSchedules(db: PrismaClient, projectId: string) {
  const [schedules, workflows] = await Promise.all([
    listAllSchedules(db, projectId),
    db.workflow.findMany({ where: { projectId }, orderBy: { name: 'asc' }, select: { name: true } }),
  ]);
  const keys = schedules.map(lastRunKey).filter((k): k is string => k !== null);
  const runs = keys.length
    ? await db.workflowRun.findMany({
        where: { projectId, idempotencyKey: { in: keys } },
        select: { id: true, status: true, idempotencyKey: true },
      })
    : [];
  const runByKey = new Map(runs.map((r) => [r.idempotencyKey, { id: r.id, status: r.status }]));
  const withRun = (s: ScheduleInfo) => {
    const key = lastRunKey(s);
    return { ...s, lastRun: (key && runByKey.get(key)) || null };
  };
  const crons = schedules.filter((s) => s.kind === 'CRON').map(withRun);
  // Pending one-offs first, soonest first; then fired ones, most recent first.
  const oneOffs = schedules
    .filter((s) => s.kind === 'ONCE')
    .sort((a, b) => {
      if (!a.firedAt !== !b.firedAt) return a.firedAt ? 1 : -1;
      if (!a.firedAt) return (a.runAt ?? '').localeCompare(b.runAt ?? '');
      return (b.firedAt ?? '').localeCompare(a.firedAt ?? '');
    })
    .map(withRun);
  return { crons, oneOffs, workflows: workflows.map((w) => w.name) };
}
