// One factory for BullMQ queues and workers over either backend: Redis, or
// BullMQ's own PostgreSQL backend. Callers never branch on the transport.
import { Queue, Worker, createPostgresBackend, type Processor, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { TransportConnection } from './contract.js';

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

export function createQueueKit(connection: TransportConnection): QueueKit {
  const queues = new Map<string, AnyQueue<any>>();
  const workers: AnyWorker<any>[] = [];
  let redis: Redis | undefined;

  const sharedRedis = (url: string) => {
    redis ??= new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
    return redis;
  };

  const kit: QueueKit = {
    connection,
    queue<T>(name: string) {
      let queue = queues.get(name);
      if (!queue) {
        queue = (
          connection.kind === 'redis'
            ? new Queue(name, { connection: sharedRedis(connection.url), prefix: connection.prefix })
            : new Queue(name, { connection: postgresOptions(connection) }, createPostgresBackend)) as AnyQueue<any>;
        queues.set(name, queue);
      }
      return queue as AnyQueue<T>;
    },
    worker<T>(name: string, processor: Processor<T>, opts: SharedWorkerOptions = {}) {
      const worker = (
        connection.kind === 'redis'
          ? new Worker<T>(name, processor, { ...opts, connection: sharedRedis(connection.url), prefix: connection.prefix })
          : new Worker(name, processor as Processor<any>, { ...opts, connection: postgresOptions(connection) }, createPostgresBackend)
      ) as AnyWorker<T>;
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      redis?.disconnect();
    },
  };
  return kit;
}

function postgresOptions(connection: Extract<TransportConnection, { kind: 'postgres' }>) {
  // Every BullMQ queue and worker owns a pool (plus a LISTEN client for workers): keep each small
  // and let idle connections go, or a worker with many actions exhausts max_connections.
  return { connectionString: connection.connectionString, schema: connection.schema, migrate: true, max: 2, idleTimeoutMillis: 2_000 };
}
