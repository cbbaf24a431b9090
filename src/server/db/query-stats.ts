import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settings } from '@/server/env';

/**
 * `WHETSTONE_QUERY_STATS=<directory>` (benchmarks): this process counts its SQL statements by
 * kind ("SELECT TaskRun", "BEGIN", …) and writes the totals to `<directory>/<pid>.json` every
 * second, so a benchmark can say how many statements a run costs each process.
 */
export function queryStatsFile(): string | undefined {
  const dir = settings().WHETSTONE_QUERY_STATS;
  return dir ? join(dir, `${process.pid}.json`) : undefined;
}

export interface QueryStats {
  statements: number;
  durationMs: number;
  byKind: Record<string, number>;
}

interface QueryEvents {
  $on(event: 'query', callback: (e: { query: string; duration: number }) => void): void;
}

export function trackQueries(client: QueryEvents, file: string): void {
  const stats: QueryStats = { statements: 0, durationMs: 0, byKind: {} };
  client.$on('query', (e) => {
    const kind = statementKind(e.query);
    stats.statements++;
    stats.durationMs += e.duration;
    stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
  });
  let written = -1;
  const write = () => {
    if (written === stats.statements) return;
    written = stats.statements;
    writeFileSync(file, JSON.stringify(stats));
  };
  setInterval(write, 1000).unref();
  process.once('beforeExit', write);
}

/** "SELECT TaskRun", "UPDATE WorkflowRun", "BEGIN", "select pg_notify": the verb and the first table named. */
export function statementKind(sql: string): string {
  const text = sql.trim().replace(/\s+/g, ' ');
  const verb = (text.match(/^\w+/)?.[0] ?? '?').toUpperCase();
  const table = text.match(/(?:FROM|INTO|UPDATE)\s+(?:"public"\.)?"(\w+)"/i)?.[1];
  if (verb === 'WITH') return `WITH ${table ?? ''}`.trim();
  return table ? `${verb} ${table}` : text.slice(0, 40);
}
