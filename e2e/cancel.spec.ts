import { expect, test } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { e2eStack } from './stack';

const stack = e2eStack();
let worker: WhetstoneWorker | undefined;
test.afterAll(async () => {
  await worker?.stop();
});

test('a run is cancelled from its page: the running task gets its abort signal, retries are listed', async ({ page }) => {
  const aborted: string[] = [];
  const wf = stack.ws.workflow({ name: 'e2e-cancel' });
  const waits = wf.task({
    name: 'waits',
    retries: 1,
    fn: (_input, ctx) => {
      if (ctx.attempt === 1) throw new Error('first attempt <b>fails</b>');
      return new Promise((resolve) =>
        ctx.abortSignal.addEventListener('abort', () => resolve(aborted.push(String(ctx.abortSignal.reason)))),
      );
    },
  });
  wf.task({ name: 'after', parents: [waits], fn: () => 'never' });
  worker = stack.ws.worker('e2e-cancel-worker', { workflows: [wf], handleSignals: false });
  await worker.start();
  const ref = await wf.runNoWait({});

  await page.goto(`${stack.url}/runs/${ref.runId}`);
  await expect(page.getByTestId('task-waits')).toHaveAttribute('data-status', 'RUNNING');
  const attempts = page.getByTestId('attempt-list-waits');
  await expect(attempts.getByTestId('attempt-list-waits-1')).toContainText('Failed');
  await expect(attempts.getByTestId('attempt-list-waits-1')).toContainText('first attempt <b>fails</b>');
  await expect(attempts.getByTestId('attempt-list-waits-2')).toContainText('Running');

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('cancel-run').click();
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'CANCELLED');
  await expect(page.getByTestId('task-after')).toHaveAttribute('data-status', 'CANCELLED');
  await expect(page.getByTestId('cancel-run')).toHaveCount(0);
  await expect.poll(() => aborted.length).toBe(1);
  expect(aborted[0]).toContain('The run was cancelled');
});
