import pg from 'pg';
import type { PrismaClient } from '@/server/db/client';

// The engine announces finished runs with pg_notify; web processes LISTEN once
// and wake the long-polls waiting for those runs, instead of polling the
// database. Postgres is there whichever queue transport is in use.
export const RUN_FINISHED_CHANNEL = 'whetstone_run_finished';

export async function notifyRunFinished(prisma: PrismaClient, runId: string): Promise<void> {
  await prisma.$executeRaw`select pg_notify(${RUN_FINISHED_CHANNEL}, ${runId})`;
}

type Waiter = () => void;

interface Listener {
  waiters: Map<string, Set<Waiter>>;
  ready: Promise<void>;
}

// One listener per process: a process talks to one application database.
const globalListener = globalThis as unknown as { whetstoneRunListener?: Listener };

export interface RunFinishedSubscription {
  /** Resolves true when the run is announced finished (even before this call); false after `ms` or on abort. */
  wait(ms: number, signal?: AbortSignal): Promise<boolean>;
  close(): void;
}

/**
 * Subscribe before reading the run: a notification that arrives between the
 * read and the wait is then not lost. Callers re-read the run after every wait,
 * which also covers notifications sent while the listener was reconnecting.
 */
export async function subscribeRunFinished(connectionString: string, runId: string): Promise<RunFinishedSubscription> {
  const listener = await listen(connectionString).catch(() => undefined);
  let announced = false;
  let wake: (() => void) | undefined;
  const onFinished: Waiter = () => {
    announced = true;
    wake?.();
  };
  const set = listener?.waiters.get(runId) ?? new Set<Waiter>();
  set.add(onFinished);
  listener?.waiters.set(runId, set);
  return {
    wait(ms, signal) {
      if (announced) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          wake = undefined;
          resolve(announced);
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
        wake = done;
      });
    },
    close() {
      set.delete(onFinished);
      if (set.size === 0 && listener?.waiters.get(runId) === set) listener.waiters.delete(runId);
    },
  };
}

function listen(connectionString: string): Promise<Listener> {
  if (!globalListener.whetstoneRunListener) {
    const waiters = new Map<string, Set<Waiter>>();
    const listener: Listener = { waiters, ready: connect(connectionString, waiters) };
    globalListener.whetstoneRunListener = listener;
    listener.ready.catch(() => {
      if (globalListener.whetstoneRunListener === listener) globalListener.whetstoneRunListener = undefined;
    });
  }
  const listener = globalListener.whetstoneRunListener;
  return listener.ready.then(() => listener);
}

async function connect(connectionString: string, waiters: Map<string, Set<Waiter>>): Promise<void> {
  const client = new pg.Client({ connectionString });
  client.on('notification', (message) => {
    for (const wake of waiters.get(message.payload ?? '') ?? []) wake();
  });
  // A lost connection drops the listener; the next wait opens a new one, and waiters re-check on their timer.
  client.on('error', () => {
    if (globalListener.whetstoneRunListener?.waiters === waiters) globalListener.whetstoneRunListener = undefined;
    void client.end().catch(() => undefined);
  });
  await client.connect();
  await client.query(`listen ${RUN_FINISHED_CHANNEL}`);
}
