import { afterEach, vi } from 'vitest';
import type { WhetstoneWorker } from '@whetstone/sdk';
import type { TestStack } from './stack';

type Workflows = Parameters<TestStack['ws']['worker']>[1]['workflows'];

/**
 * SDK workers in the test process, each stopped after the test that started it (on the Postgres
 * transport every queue holds connections). `stack` is read when a worker starts.
 */
export function useStackWorkers(stack: () => TestStack) {
  const running: WhetstoneWorker[] = [];
  const stopAll = async () => {
    await Promise.all(running.splice(0).map((w) => w.stop()));
  };
  afterEach(stopAll);
  return {
    async start(name: string, workflows: Workflows, opts: { slots?: number } = {}): Promise<WhetstoneWorker> {
      const worker = stack().ws.worker(name, { workflows, handleSignals: false, slots: opts.slots });
      running.push(worker);
      await worker.start();
      return worker;
    },
    stopAll,
  };
}

/** Engine code called in the test process (applyWorkerReport, …) uses the stack's database and queues. */
export function stubStackEnv(stack: TestStack): void {
  for (const name of ['DATABASE_URL', 'WHETSTONE_TRANSPORT', 'WHETSTONE_QUEUE_PREFIX', 'REDIS_URL']) {
    if (stack.env[name]) vi.stubEnv(name, stack.env[name]);
  }
}
