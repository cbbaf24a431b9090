import { expect, test } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { shot } from './page-helpers';
import { e2eStack } from './stack';

// The parent-child link of child runs on the run page, both ways, and in the runs list.

const stack = e2eStack();
let worker: WhetstoneWorker | undefined;
test.afterAll(async () => {
  await worker?.stop();
});

test('a parent run lists the children its task spawned, each linking to the child, whose page links back', async ({ page }) => {
  const summarize = stack.ws.task({ name: 'e2e-child-summarize', fn: (input: { doc: string }) => `summary of ${input.doc}` });
  const parent = stack.ws.workflow({ name: 'e2e-child-parent' });
  parent.task({
    name: 'fan-out',
    fn: (_input, ctx) => ctx.runChildren(['<b>a</b>', 'b', 'c'].map((doc) => ({ workflow: summarize, input: { doc } }))),
  });
  worker = stack.ws.worker('e2e-children', { workflows: [summarize, parent], handleSignals: false });
  await worker.start();
  const ref = await parent.runNoWait({});
  await ref.result();

  await page.goto(`${stack.url}/p/default/runs/${ref.runId}`);
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(page.getByTestId('run-child-of')).toHaveCount(0);
  const children = page.getByTestId('children-fan-out');
  await expect(children).toContainText('Child runs (3)');
  const links = children.locator('a[data-testid^="child-run-"]');
  await expect(links).toHaveCount(3);
  await expect(links.first()).toContainText('e2e-child-summarize');
  await expect(links.first()).toContainText('Succeeded');
  await shot(page, 'child-runs-parent');

  const href = await links.first().getAttribute('href');
  expect(href).toMatch(/^\/p\/default\/runs\/[0-9a-f-]{36}$/);
  await links.first().click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'SUCCEEDED');
  const childOf = page.getByTestId('run-child-of');
  await expect(childOf).toContainText('Child of');
  await expect(childOf.getByTestId('child-of-run')).toHaveAttribute('href', `/p/default/runs/${ref.runId}`);
  await expect(childOf.getByTestId('child-of-run')).toContainText('e2e-child-parent');
  await expect(childOf.getByTestId('child-of-task')).toHaveText('fan-out');
  await shot(page, 'child-runs-child');
  // The child's input is shown as text, never as markup.
  expect(await page.locator('[data-testid="run-detail"] b').count()).toBe(0);

  // The runs list marks the children with a link to their parent.
  await page.goto(`${stack.url}/p/default?workflow=e2e-child-summarize`);
  const rows = page.getByTestId('runs-table').locator('tbody tr[data-status]');
  await expect(rows).toHaveCount(3);
  await expect(rows.first().getByTestId('child-of')).toHaveAttribute('href', `/p/default/runs/${ref.runId}`);
  await shot(page, 'child-runs-list');

  // From the list to a child, and from the child back to its parent.
  await rows.first().getByTestId('child-of').click();
  await expect(page).toHaveURL(new RegExp(`/p/default/runs/${ref.runId}$`));
  await expect(page.getByTestId('children-fan-out')).toBeVisible();
});
