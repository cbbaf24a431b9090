import { expect, test } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { e2eStack } from './stack';

// Runs held back by a concurrency limit say so on the runs list and on their page, then run.

const stack = e2eStack();
let worker: WhetstoneWorker | undefined;
test.afterAll(async () => {
  await worker?.stop();
});

test('a run queued behind its key is marked waiting for concurrency, then starts when the first finishes', async ({ page }) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const wf = stack.ws.workflow<{ customerId: string }>({
    name: 'e2e-concurrency',
    concurrency: { expression: 'input.customerId', maxRuns: 1 },
  });
  wf.task({ name: 'work', fn: async () => (await gate, 'done') });
  worker = stack.ws.worker('e2e-concurrency-worker', { workflows: [wf], handleSignals: false });
  await worker.start();
  const first = await wf.runNoWait({ customerId: 'acme' });
  const second = await wf.runNoWait({ customerId: 'acme' });

  await page.goto(`${stack.url}/p/default?workflow=e2e-concurrency`);
  await expect(page.getByTestId(`waiting-${second.runId}`)).toHaveText('waiting for concurrency');
  await expect(page.getByTestId(`waiting-${first.runId}`)).toHaveCount(0);

  await page.goto(`${stack.url}/p/default/runs/${second.runId}`);
  await expect(page.getByTestId('run-waiting')).toHaveText('waiting for concurrency: acme');
  release();
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(page.getByTestId('run-waiting')).toHaveCount(0);
  expect(await first.result()).toEqual({ work: 'done' });
});
