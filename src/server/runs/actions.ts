// Cancel and replay for the dashboard: one run, many by id (the runs list's bulk bar), or every run
// matching the list's filters.
import type { PrismaClient } from '@/server/db/client';
import { cancelRun } from '@/server/engine/cancel';
import { badRequest, conflict, DomainError, notFound } from '@/server/errors';
import { replayRun } from '@/server/engine/triggers/replay';
import { MAX_BULK_RUN_ACTIONS } from '@/server/shared/limits';
import { matchingRunIds, type RunListFilter } from './list-query';

/** Runs handled at once by a bulk action: each is a few queries and a queue operation. */
const BULK_CONCURRENCY = 4;

export type BulkResult<T> = { id: string; ok: true; value: T } | { id: string; ok: false; error: string };

/** `fn` over every id, a few at a time; a failure is reported for its id and does not stop the others. */
async function forEachRun<T>(ids: readonly string[], fn: (id: string) => Promise<T>): Promise<Array<BulkResult<T>>> {
  const unique = [...new Set(ids)];
  const results: Array<BulkResult<T>> = new Array(unique.length);
  let next = 0;
  const lane = async () => {
    while (next < unique.length) {
      const i = next++;
      const id = unique[i]!;
      try {
        results[i] = { id, ok: true, value: await fn(id) };
      } catch (err) {
        if (!(err instanceof DomainError)) console.error(`[runs] bulk action on run ${id} failed`, err);
        results[i] = { id, ok: false, error: err instanceof DomainError ? err.message : 'Internal error' };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, unique.length) }, lane));
  return results;
}

/** Every id must be a run of the project (the list only offers those): otherwise nothing is done. */
async function assertProjectRuns(db: PrismaClient, projectId: string, ids: readonly string[]): Promise<void> {
  const found = await db.workflowRun.findMany({ where: { id: { in: [...ids] }, projectId }, select: { id: true } });
  const known = new Set(found.map((r) => r.id));
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  if (missing.length > 0) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
    throw notFound(`Run ${missing[0]} not found in this project${more}`);
  }
}

export async function bulkCancel(db: PrismaClient, projectId: string, ids: readonly string[]) {
  await assertProjectRuns(db, projectId, ids);
  const results = await forEachRun(ids, (id) => cancelRun(db, projectId, id));
  return {
    results,
    cancelled: results.filter((r) => r.ok && r.value.cancelled).length,
    /** Already finished: left as they were. */
    unchanged: results.filter((r) => r.ok && !r.value.cancelled).length,
    failed: results.filter((r) => !r.ok).length,
  };
}

export async function bulkReplay(db: PrismaClient, projectId: string, ids: readonly string[]) {
  await assertProjectRuns(db, projectId, ids);
  const results = await forEachRun(ids, (id) => replayRun(db, projectId, id));
  return {
    results,
    replayed: results.filter((r) => r.ok).length,
    failed: results.filter((r) => !r.ok).length,
  };
}

/**
 * Replays every run the runs list shows for `filter` (same resolution and WHERE, newest first).
 * `confirmCount` is how many the person was told would be replayed: if more match now (new runs
 * arrived), nothing is done (CONFLICT), so nobody replays runs they were not shown a count for.
 */
export async function bulkReplayByFilter(db: PrismaClient, projectId: string, filter: RunListFilter, confirmCount: number) {
  const ids = await matchingRunIds(db, projectId, filter, MAX_BULK_RUN_ACTIONS + 1);
  if (ids.length > MAX_BULK_RUN_ACTIONS) {
    throw badRequest(
      `More than ${MAX_BULK_RUN_ACTIONS} runs match these filters; narrow them to replay at most ${MAX_BULK_RUN_ACTIONS} at once`,
    );
  }
  if (ids.length > confirmCount) {
    throw conflict(
      `${ids.length} runs match these filters now, more than the ${confirmCount} you confirmed; nothing was replayed. Check the list and try again.`,
    );
  }
  const results = await forEachRun(ids, (id) => replayRun(db, projectId, id));
  return {
    matched: ids.length,
    results,
    replayed: results.filter((r) => r.ok).length,
    failed: results.filter((r) => !r.ok).length,
  };
}
