import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createQueueKit } from '@whetstone/sdk/transport';
import { ensureDefaultProject } from '@/server/bootstrap/project';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { usePrivateQueuePrefix } from '@/server/testing/queue-prefix';
import { workerConnection } from './project-queues';

// A project's ACL user may not run INFO (its keyspace section counts every project's keys), and
// BullMQ still works through it: the SDK's kit skips the ready check and the version check.
const scratch = useScratchDatabase();
usePrivateQueuePrefix('wsacl');
let projectId = '';

beforeAll(async () => {
  projectId = (await ensureDefaultProject(scratch.prisma)).id;
});

describe.skipIf(process.env.WHETSTONE_TRANSPORT === 'postgres')('the project Redis ACL user', () => {
  it('is refused INFO, and BullMQ queues, workers and delayed jobs work through it', async () => {
    const connection = await workerConnection(scratch.prisma, projectId);
    if (connection.kind !== 'redis') throw new Error('expected a Redis connection');
    expect(new URL(connection.url).username).toContain(projectId);

    const asProject = new Redis(connection.url, { maxRetriesPerRequest: 1, enableReadyCheck: false });
    try {
      await expect(asProject.info()).rejects.toThrow(/NOPERM/);
      await expect(asProject.info('keyspace')).rejects.toThrow(/NOPERM/);
      await expect(asProject.dbsize()).rejects.toThrow(/NOPERM/);
    } finally {
      asProject.disconnect();
    }

    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    const kit = createQueueKit(connection);
    try {
      const done: Array<{ name: string; at: number }> = [];
      const worker = kit.worker<{ n: number }>('acl-probe', async (job) => {
        done.push({ name: job.name, at: Date.now() });
        return job.data.n * 2;
      });
      const errors: Error[] = [];
      worker.on('error', (err) => errors.push(err));
      await worker.waitUntilReady();
      const queue = kit.queue<{ n: number }>('acl-probe');
      await queue.add('now', { n: 1 });
      const until = async (pred: () => boolean) => {
        for (const deadline = Date.now() + 10_000; !pred() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
      };
      await until(() => done.length === 1);
      expect(done.map((d) => d.name)).toEqual(['now']);
      // A delayed job is taken on time: the worker waits fractions of a second (Redis 6+), not whole seconds.
      const added = Date.now();
      await queue.add('later', { n: 2 }, { delay: 300 });
      await until(() => done.length === 2);
      expect(done[1]?.name).toBe('later');
      expect(done[1]!.at - added).toBeLessThan(800);
      expect(errors).toEqual([]);
      expect(warnings.filter((w) => /INFO|ready check/i.test(w))).toEqual([]);
    } finally {
      console.warn = warn;
      await kit.close();
    }
  });
});
