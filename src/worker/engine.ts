import { db } from '@/server/db';
import { handleEngineEvent } from '@/server/engine/events';
import { ENGINE_EVENTS_QUEUE, engineEventSchema } from '@/server/queue/contracts';
import { env } from '@/server/env';
import { closeQueueKit, queueKit } from '@/server/queue/transport';
import { describeTransport } from '@/server/queue/transport-label';

export interface Engine {
  stop(): Promise<void>;
}

/** Consumes worker reports and advances runs. Several engines may run at once: every write is conditional. */
export async function startEngine({ concurrency = 16 } = {}): Promise<Engine> {
  const prisma = db();
  const worker = queueKit().worker(
    ENGINE_EVENTS_QUEUE,
    async (job) => handleEngineEvent(prisma, engineEventSchema.parse(job.data)),
    { concurrency },
  );
  worker.on('failed', (job, err) => console.error(`[engine] event ${job?.name} failed: ${err.message}`));
  worker.on('error', (err) => console.error(`[engine] queue error: ${err.message}`));
  await worker.waitUntilReady();
  const e = env();
  const { label } = describeTransport({ transport: e.WHETSTONE_TRANSPORT, redisUrl: e.REDIS_URL, databaseUrl: e.DATABASE_URL });
  console.log(`[engine] ready on ${label}`);
  return {
    async stop() {
      await closeQueueKit();
      await prisma.$disconnect();
    },
  };
}
