import { expect, test, type Page } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { e2eStack } from './stack';

// User data (LLM output!) must never execute: every payload below is placed
// where the dashboard renders user data, then each page is checked for
// executed script, injected elements and javascript: links.
const PAYLOADS = [
  '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">',
  '</script><script>window.__pwned=(window.__pwned||0)+1</script>',
  'javascript:window.__pwned=(window.__pwned||0)+1',
  '<a href="javascript:window.__pwned=(window.__pwned||0)+1">click me</a>',
  '<svg onload="window.__pwned=(window.__pwned||0)+1"></svg>',
];
const ALL = PAYLOADS.join(' | ');

const stack = e2eStack();
let worker: WhetstoneWorker;
let runId: string;

test.beforeAll(async () => {
  const wf = stack.ws.workflow({ name: 'e2e-xss' });
  const first = wf.task({
    name: 'llm-says',
    fn: (_input, ctx) => {
      for (const p of PAYLOADS) ctx.log(p);
      return { reply: ALL, [PAYLOADS[0]!]: PAYLOADS[1] };
    },
  });
  wf.task({
    name: 'fails',
    parents: [first],
    fn: () => {
      throw new Error(ALL);
    },
  });
  worker = stack.ws.worker('e2e-xss', { workflows: [wf], handleSignals: false });
  await worker.start();
  const ref = await wf.runNoWait({ question: ALL }, { additionalMetadata: { customerId: PAYLOADS[0]! } });
  await ref.result().catch(() => undefined);
  runId = ref.runId;
});
test.afterAll(async () => worker?.stop());

async function expectInert(page: Page) {
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('main img[src="x"], main svg[onload], script:not([src]):has-text("__pwned")').count()).toBe(0);
  expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
}

async function trpcMutation(page: Page, path: string, input: unknown) {
  const response = await page.request.post(`${stack.url}/api/trpc/${path}`, {
    headers: { origin: stack.url, 'content-type': 'application/json' },
    data: { json: input },
  });
  expect(response.status(), await response.text()).toBe(200);
}

test('run detail renders payloads in input, output, error and logs as text', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${stack.url}/p/default/runs/${runId}`);
  await expect(page.getByTestId('task-fails')).toContainText('Failed');
  await expect(page.getByTestId('logs-llm-says')).toContainText(PAYLOADS[0]!);
  await expect(page.getByTestId('task-llm-says')).toContainText('javascript:window.__pwned');
  await expect(page.getByTestId('task-fails')).toContainText('</script><script>');
  await expectInert(page);
  expect(dialogs).toEqual([]);
});

test('runs list, settings and the project switcher render names as text', async ({ page }) => {
  await trpcMutation(page, 'apiKeys.create', { project: 'default', name: PAYLOADS[3] });
  await trpcMutation(page, 'projects.create', { name: PAYLOADS[0] });

  await page.goto(`${stack.url}/p/default`);
  await expect(page.getByTestId('runs-table')).toContainText('e2e-xss');
  await expectInert(page);

  await page.goto(`${stack.url}/p/default/settings`);
  await expect(page.getByText(PAYLOADS[3]!)).toBeVisible();
  await expectInert(page);

  await expect(page.getByTestId('project-switcher')).toBeVisible();
  await page.getByTestId('project-switcher').click();
  await expectInert(page);
});
