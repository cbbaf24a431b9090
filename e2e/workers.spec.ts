import { expect, test } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { e2eStack } from './stack';

const stack = e2eStack();
const started: WhetstoneWorker[] = [];
test.afterAll(async () => {
  for (const worker of started) await worker.stop().catch(() => undefined);
});

test('the demo worker is listed live with its actions and a fresh heartbeat', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/workers`);
  const demo = page.getByTestId('workers-live').locator('[data-name="demo-worker"]');
  await expect(demo).toHaveCount(1);
  await expect(demo).toHaveAttribute('data-state', 'live');
  const dag = demo.getByTestId('worker-action-support-reply');
  for (const task of ['classify', 'lookup-customer', 'draft', 'review']) await expect(dag).toContainText(task);
  await expect(demo.getByTestId('worker-action-lowercase')).toContainText('lowercase');
  // Beats every 5 s: never older than the 30 s live window while listed here.
  await expect(demo.getByTestId('worker-heartbeat')).toHaveText(/^(just now|[12]?\d s ago)$/);
  await expect(page.getByTestId('workers-stopped').locator('[data-name="demo-worker"]')).toHaveCount(0);
});

test('a running task shows under "running now" until it finishes; a stopped worker moves to the stopped section', async ({ page }) => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const wf = stack.ws.workflow({ name: 'e2e-workers-slow' });
  wf.task({
    name: 'sleepy',
    fn: async () => {
      await released;
      return { slept: true };
    },
  });
  const worker = stack.ws.worker('e2e-workers-slow-worker', { workflows: [wf], handleSignals: false });
  started.push(worker);
  await worker.start();

  await page.goto(`${stack.url}/p/default/workers`);
  const card = page.getByTestId('workers-live').getByTestId(`worker-${worker.id}`);
  await expect(card).toHaveAttribute('data-state', 'live');
  await expect(card.getByTestId('worker-actions')).toContainText('e2e-workers-slow');
  await expect(card.getByTestId('worker-running-count')).toHaveText('running now: 0');

  const ref = await wf.runNoWait({});
  const running = card.getByTestId('worker-running');
  await expect(running).toContainText('sleepy');
  await expect(card.getByTestId('worker-running-count')).toHaveText('running now: 1');
  await expect(running.getByRole('link')).toHaveAttribute('href', `/p/default/runs/${ref.runId}#task-sleepy`);

  release();
  await ref.result();
  await expect(card.getByTestId('worker-running')).toHaveCount(0);
  await expect(card.getByTestId('worker-running-count')).toHaveText('running now: 0');

  await worker.stop();
  const stopped = page.getByTestId('workers-stopped').getByTestId(`worker-${worker.id}`);
  await expect(stopped).toHaveAttribute('data-state', 'stopped');
  await expect(stopped.getByTestId('worker-state')).toHaveText('stopped');
  await expect(page.getByTestId('workers-live').getByTestId(`worker-${worker.id}`)).toHaveCount(0);
});
