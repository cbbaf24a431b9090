import { createQueueKit, type QueueKit } from '@whetstone/sdk/transport';
import { env } from '../env';
import type { TransportConnection } from './contracts';

/** The queue connection this install uses; workers receive the same one at registration. */
export function transportConnection(): TransportConnection {
  const e = env();
  if (e.WHETSTONE_TRANSPORT === 'redis') {
    return { kind: 'redis', url: e.REDIS_URL, prefix: e.WHETSTONE_QUEUE_PREFIX };
  }
  return {
    kind: 'postgres',
    connectionString: e.DATABASE_URL,
    schema: `${e.WHETSTONE_QUEUE_PREFIX.toLowerCase().replace(/-/g, '_')}_queues`,
  };
}

const globalKit = globalThis as unknown as { whetstoneQueueKit?: QueueKit };

/** The process-wide producer/consumer factory. */
export function queueKit(): QueueKit {
  globalKit.whetstoneQueueKit ??= createQueueKit(transportConnection());
  return globalKit.whetstoneQueueKit;
}

export async function closeQueueKit(): Promise<void> {
  const kit = globalKit.whetstoneQueueKit;
  globalKit.whetstoneQueueKit = undefined;
  await kit?.close();
}
