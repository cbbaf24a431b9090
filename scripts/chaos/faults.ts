// The faults, and when they happen: spread over the push window and a little after it.
import { Redis } from 'ioredis';
import type { ChaosServices } from './services';
import type { ChaosWorkers, EngineControl, Log } from './procs';
import { sleep } from './procs';

export const FAULT_NAMES = ['worker', 'engine', 'flushall', 'postgres'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export const FAULT_LABELS: Record<FaultName, string> = {
  worker: 'SIGKILL a chaos worker, start a replacement',
  engine: 'SIGKILL the engine, restart it',
  flushall: 'FLUSHALL Redis',
  postgres: 'restart Postgres',
};

export interface FaultRecord {
  name: FaultName;
  /** Planned and actual start, ms after the first push. */
  plannedMs: number;
  startedMs: number;
  at: string;
  durationMs: number;
  outcome: 'done' | 'skipped' | 'failed';
  detail: string;
}

export interface FaultTargets {
  transport: 'redis' | 'postgres';
  workers: ChaosWorkers;
  engine: EngineControl;
  services: ChaosServices;
}

/** `count` faults from the list, in order, the first at 15 % of the push window and the last `tailMs` after it ends. */
export function planFaults(names: FaultName[], pushWindowMs: number, tailMs: number): { name: FaultName; atMs: number }[] {
  if (!names.length) return [];
  const first = 0.15 * pushWindowMs;
  const last = pushWindowMs + tailMs;
  const step = names.length === 1 ? 0 : (last - first) / (names.length - 1);
  return names.map((name, i) => ({ name, atMs: Math.round(first + i * step) }));
}

async function inject(name: FaultName, t: FaultTargets): Promise<{ outcome: 'done' | 'skipped'; detail: string }> {
  switch (name) {
    case 'worker':
      return { outcome: 'done', detail: await t.workers.killOne() };
    case 'engine':
      return { outcome: 'done', detail: await t.engine.killAndRestart() };
    case 'flushall': {
      if (t.transport !== 'redis' || !t.services.redisUrl)
        return { outcome: 'skipped', detail: 'not on the Redis transport (FLUSHALL only applies to Redis)' };
      const redis = new Redis(t.services.redisUrl, { maxRetriesPerRequest: 1 });
      try {
        const keys = await redis.dbsize();
        await redis.flushall();
        return { outcome: 'done', detail: `FLUSHALL on ${t.services.redisUrl} (${keys} keys in db 0 before)` };
      } finally {
        redis.disconnect();
      }
    }
    case 'postgres':
      try {
        return { outcome: 'done', detail: await t.services.restartPostgres() };
      } catch (err) {
        // Never pretend: a restart that could not be done is reported as skipped, with why.
        return { outcome: 'skipped', detail: `could not restart Postgres: ${(err as Error).message}` };
      }
  }
}

/** Runs the plan (one fault at a time, each no earlier than planned), printing a timestamped line per fault. */
export async function runFaults(
  plan: { name: FaultName; atMs: number }[],
  t0: number,
  targets: FaultTargets,
  log: Log,
  stopped: () => boolean,
): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  for (const { name, atMs } of plan) {
    const wait = t0 + atMs - Date.now();
    if (wait > 0) await sleep(wait);
    if (stopped()) break;
    const started = Date.now();
    log(`FAULT ${name}: ${FAULT_LABELS[name]}…`);
    let record: FaultRecord;
    try {
      const { outcome, detail } = await inject(name, targets);
      record = {
        name,
        plannedMs: atMs,
        startedMs: started - t0,
        at: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        outcome,
        detail,
      };
    } catch (err) {
      record = {
        name,
        plannedMs: atMs,
        startedMs: started - t0,
        at: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        outcome: 'failed',
        detail: (err as Error).message,
      };
    }
    records.push(record);
    log(`FAULT ${name} ${record.outcome.toUpperCase()} in ${record.durationMs} ms: ${record.detail}`);
  }
  return records;
}
