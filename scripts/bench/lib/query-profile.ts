// The bench's profile of Postgres work: statements per run for each process, from the files the
// processes write with WHETSTONE_QUERY_STATS (src/server/query-stats.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryStats } from '../../../src/server/db/query-stats';
import { round } from './stats';

export type StatsByPid = Map<number, QueryStats>;

export function readQueryStats(dir: string): StatsByPid {
  const byPid: StatsByPid = new Map();
  if (!existsSync(dir)) return byPid;
  for (const name of readdirSync(dir)) {
    const pid = Number(name.replace(/\.json$/, ''));
    if (!Number.isInteger(pid)) continue;
    try {
      byPid.set(pid, JSON.parse(readFileSync(join(dir, name), 'utf8')) as QueryStats);
    } catch {
      // Being rewritten at this instant: the next read has it.
    }
  }
  return byPid;
}

export interface StatementsPerRun {
  perRun: number;
  msPerRun: number;
  /** The most frequent kinds, per run. */
  top: Record<string, number>;
}

/** Statements each role ran per run between two reads; `roles` maps a role to its processes' pids. */
export function statementsPerRun(
  before: StatsByPid,
  after: StatsByPid,
  roles: Record<string, number[]>,
  runs: number,
): Record<string, StatementsPerRun> {
  const out: Record<string, StatementsPerRun> = {};
  for (const [role, pids] of Object.entries(roles)) {
    let statements = 0;
    let ms = 0;
    const kinds: Record<string, number> = {};
    for (const pid of pids) {
      const a = after.get(pid);
      if (!a) continue;
      const b = before.get(pid) ?? { statements: 0, durationMs: 0, byKind: {} };
      statements += a.statements - b.statements;
      ms += a.durationMs - b.durationMs;
      for (const [kind, n] of Object.entries(a.byKind)) kinds[kind] = (kinds[kind] ?? 0) + n - (b.byKind[kind] ?? 0);
    }
    const top = Object.entries(kinds)
      .filter(([, n]) => n > 0)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 10)
      .map(([kind, n]) => [kind, round(n / runs, 2)] as const);
    out[role] = { perRun: round(statements / runs, 1), msPerRun: round(ms / runs, 2), top: Object.fromEntries(top) };
  }
  return out;
}
