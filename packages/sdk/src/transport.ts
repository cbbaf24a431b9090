// One factory for BullMQ queues and workers over either backend: Redis, or
// BullMQ's own PostgreSQL backend. Callers never branch on the transport.
import { createRedisBackend, Queue, Worker, type BackendFactory, type Processor, type RedisQueueBackend, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { TransportConnection } from './contract.js';
import { SharedPostgresConnection, sharedPostgresBackend } from './transport/postgres-transport.js';

export { isTransientPostgresError } from './transport/postgres-transport.js';

// Queue/Worker are generic over backend and connection types; the kit hides both.
export type AnyQueue<T = unknown> = Queue<T, any, string, any, any, string, any, any>;
export type AnyWorker<T = unknown> = Worker<T, any, string, any, any, any>;
type SharedWorkerOptions = Omit<WorkerOptions, 'connection' | 'prefix'>;

export interface QueueKit {
  readonly connection: TransportConnection;
  /** A producer for `name`, cached: calling twice returns the same queue. */
  queue<T = unknown>(name: string): AnyQueue<T>;
  worker<T = unknown>(name: string, processor: Processor<T>, opts?: SharedWorkerOptions): AnyWorker<T>;
  close(): Promise<void>;
}

export interface QueueKitOptions {
  /**
   * Postgres transport: `application_name` of the kit's connections, so `pg_stat_activity` says
   * whose they are (default `whetstone-worker[<pid>]:queues`).
   */
  applicationName?: string;
  /**
   * Postgres transport: most pooled connections the kit opens for queue commands, shared by all its
   * queues and workers (default `WHETSTONE_QUEUE_POOL_MAX`, else 3). One LISTEN connection comes on
   * top once a worker waits for jobs.
   */
  poolMax?: number;
  /** Where the kit reports that the database refuses connections, and when it is back (default console.error). */
  log?: (line: string) => void;
}

/** How often a kit checks that its workers' loops still run (a loop that ended on an error is restarted). */
const WATCHDOG_MS = 5_000;
/** Postgres workers retry a failed fetch or completion after this long (BullMQ's default is 15 s). */
const PG_RUN_RETRY_DELAY_MS = 1_000;

export function createQueueKit(connection: TransportConnection, opts: QueueKitOptions = {}): QueueKit {
  const queues = new Map<string, AnyQueue<any>>();
  const workers: AnyWorker<any>[] = [];
  /** Workers that run by themselves (not `autorun: false`), watched by the watchdog. */
  const running: AnyWorker<any>[] = [];
  let redis: Redis | undefined;
  let pg: SharedPostgresConnection | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let closed = false;
  const log = opts.log ?? ((line: string) => console.error(line));

  // A URL naming a user is an ACL user (an SDK worker's project user may not run INFO): see withoutInfo.
  const redisWithoutInfo = connection.kind === 'redis' && withoutInfo(connection.url);
  const sharedRedis = (url: string) => {
    redis ??= new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: !redisWithoutInfo });
    return redis;
  };
  const redisOptions = redisWithoutInfo ? { skipVersionCheck: true } : {};
  const redisBackend: BackendFactory<RedisQueueBackend> = redisWithoutInfo ? redisBackendWithoutInfo : createRedisBackend;
  // One pool and one LISTEN connection for every queue and worker of the kit (see postgres-transport.ts).
  const sharedPostgres = (c: Extract<TransportConnection, { kind: 'postgres' }>) => {
    pg ??= new SharedPostgresConnection({
      connectionString: c.connectionString,
      schema: c.schema,
      applicationName: opts.applicationName ?? `whetstone-worker[${process.pid}]:queues`,
      poolMax: opts.poolMax ?? queuePoolMaxFromEnv(),
      log,
    });
    return pg;
  };
  // BullMQ requires a `connection` option; the shared backend factory ignores it.
  const pgConnectionOption = (c: Extract<TransportConnection, { kind: 'postgres' }>) => ({
    connectionString: c.connectionString,
    schema: c.schema,
  });

  // A worker's run loop only ends on close or pause; should it end on an error, start it again.
  const checkWorkers = () => {
    for (const worker of running) {
      if (closed || worker.closing || worker.isRunning() || worker.isPaused()) continue;
      log(`[whetstone] the consumer of queue '${worker.name}' had stopped; restarting it`);
      worker.run().catch((err: Error) => worker.emit('error', err));
    }
  };

  const kit: QueueKit = {
    connection,
    queue<T>(name: string) {
      let queue = queues.get(name);
      if (!queue) {
        queue = (
          connection.kind === 'redis'
            ? new Queue(name, { connection: sharedRedis(connection.url), prefix: connection.prefix, ...redisOptions }, redisBackend)
            : new Queue(name, { connection: pgConnectionOption(connection) }, sharedPostgresBackend(sharedPostgres(connection)))
        ) as AnyQueue<any>;
        queues.set(name, queue);
      }
      return queue as AnyQueue<T>;
    },
    worker<T>(name: string, processor: Processor<T>, workerOpts: SharedWorkerOptions = {}) {
      const worker = (
        connection.kind === 'redis'
          ? new Worker(
              name,
              processor as Processor<any>,
              { ...workerOpts, connection: sharedRedis(connection.url), prefix: connection.prefix, ...redisOptions },
              redisBackend,
            )
          : new Worker(
              name,
              processor as Processor<any>,
              { runRetryDelay: PG_RUN_RETRY_DELAY_MS, ...workerOpts, connection: pgConnectionOption(connection) },
              sharedPostgresBackend(sharedPostgres(connection)),
            )
      ) as AnyWorker<T>;
      workers.push(worker);
      if (workerOpts.autorun !== false) running.push(worker);
      if (!watchdog) {
        watchdog = setInterval(checkWorkers, WATCHDOG_MS);
        watchdog.unref();
      }
      return worker;
    },
    async close() {
      closed = true;
      clearInterval(watchdog);
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      redis?.disconnect();
      await pg?.close().catch(() => undefined);
    },
  };
  return kit;
}

/**
 * Whether the kit must do without INFO on this Redis URL. A URL naming a user is an ACL user: an SDK
 * worker gets its project's, which may not run INFO (INFO shows instance-wide key counts, see the
 * server's redis-acl.ts). ioredis' ready check and BullMQ's version check both send INFO, so both
 * are skipped. Users exist only from Redis 6 on, which BullMQ's version check would have found.
 */
export function withoutInfo(url: string): boolean {
  try {
    return new URL(url).username !== '';
  } catch {
    return false;
  }
}

/**
 * BullMQ's Redis backend for a connection that skips its version check. Skipping it makes BullMQ
 * assume Redis 5, whose BZPOPMIN takes whole seconds, so a worker would round every wait for a
 * delayed job (a retry's backoff, a rate-limited slot) up to the next second. A URL with a user
 * means Redis 6 or later (withoutInfo), whose BZPOPMIN takes fractions: say so once each
 * connection is ready, as the version check would have.
 */
const redisBackendWithoutInfo: BackendFactory<RedisQueueBackend> = (name, opts, flags) => {
  const backend = createRedisBackend(name, opts, flags);
  for (const conn of [backend.connection, backend.blockingConnection]) {
    if (!conn) continue;
    conn.client.then(
      () => {
        conn.capabilities = { ...conn.capabilities, canDoubleTimeout: true };
      },
      () => undefined, // BullMQ reports connection errors itself
    );
  }
  return backend;
};

function queuePoolMaxFromEnv(): number {
  const raw = process.env.WHETSTONE_QUEUE_POOL_MAX;
  if (raw === undefined || raw === '') return 3;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`WHETSTONE_QUEUE_POOL_MAX must be a positive integer, not ${raw}`);
  return n;
}
