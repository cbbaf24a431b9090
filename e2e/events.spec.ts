import { expect, test, type Page } from '@playwright/test';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { shot } from './page-helpers';
import { e2eStack } from './stack';

// The Events page against the real stack: a workflow triggered by 'e2e-events:*' runs on a
// worker started here; events are pushed with the SDK, then listed, filtered, opened, replayed.

const stack = e2eStack();
// No double quotes: the payload view shows JSON, which would escape them.
const HTML = '<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>';
let worker: WhetstoneWorker;
const pushed: Record<'created' | 'closed' | 'html', { eventId: string; runIds: string[] }> = {} as never;

test.beforeAll(async () => {
  const echo = stack.ws.task({
    name: 'e2e-events-echo',
    on: { event: 'e2e-events:*' },
    fn: (input: Record<string, unknown>) => ({ echoed: input }),
  });
  worker = stack.ws.worker('e2e-events-worker', { workflows: [echo], handleSignals: false });
  await worker.start();
  pushed.created = await stack.ws.events.push('e2e-events:created', { ticket: 't-1' }, { additionalMetadata: { source: 'e2e' } });
  pushed.closed = await stack.ws.events.push('e2e-events:closed', { ticket: 't-1', resolution: 'fixed' });
  pushed.html = await stack.ws.events.push('e2e-events:html', { reply: HTML });
  for (const p of Object.values(pushed)) expect(p.runIds).toHaveLength(1);
});
test.afterAll(async () => worker?.stop());

const row = (page: Page, eventId: string) => page.getByTestId(`event-${eventId}`);

test('the list shows pushed events with their runs; the key filter (exact or prefix) lives in the URL', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/events`);
  for (const p of Object.values(pushed)) {
    await expect(row(page, p.eventId)).toBeVisible();
    await expect(row(page, p.eventId).getByTestId(`event-run-${p.runIds[0]}`)).toHaveAttribute('data-status', 'SUCCEEDED');
  }
  // Newest first.
  const keys = await page
    .getByTestId('events-table')
    .locator('tbody tr[data-key^="e2e-events:"]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
  expect(keys.slice(0, 3)).toEqual(['e2e-events:html', 'e2e-events:closed', 'e2e-events:created']);

  await page.getByTestId('events-key-filter').fill('e2e-events:closed');
  await page.getByTestId('events-key-filter').press('Enter');
  await expect(page).toHaveURL(/[?&]key=e2e-events%3Aclosed(&|$)/);
  await expect(row(page, pushed.closed.eventId)).toBeVisible();
  await expect(row(page, pushed.created.eventId)).toHaveCount(0);
  await expect(page.getByTestId('events-table').locator('tbody tr')).toHaveCount(1);

  await page.getByTestId('events-key-match').selectOption('prefix');
  await page.getByTestId('events-key-filter').fill('e2e-events:c');
  await page.getByTestId('events-key-apply').click();
  await expect(page).toHaveURL(/key=e2e-events%3Ac&match=prefix/);
  await expect(row(page, pushed.created.eventId)).toBeVisible();
  await expect(row(page, pushed.closed.eventId)).toBeVisible();
  await expect(row(page, pushed.html.eventId)).toHaveCount(0);

  // The URL alone reproduces the view.
  await page.reload();
  await expect(page.getByTestId('events-key-filter')).toHaveValue('e2e-events:c');
  await expect(page.getByTestId('events-key-match')).toHaveValue('prefix');
  await expect(page.getByTestId('events-table').locator('tbody tr')).toHaveCount(2);

  // A pushed event appears without a reload (the first page polls).
  const later = await stack.ws.events.push('e2e-events:created', { ticket: 't-2' });
  await expect(row(page, later.eventId)).toBeVisible({ timeout: 5_000 });
});

test('?id= opens the event: payload (escaped), metadata and the runs it started, linking to their pages', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/events?id=${pushed.html.eventId}`);
  const detail = page.getByTestId('event-detail');
  await expect(detail.getByTestId('event-detail-key')).toHaveText('e2e-events:html');
  await expect(row(page, pushed.html.eventId)).toHaveAttribute('aria-selected', 'true');
  await expect(detail.getByTestId('event-detail-payload')).toContainText(HTML);
  await expect(row(page, pushed.html.eventId)).toContainText('<img src=x onerror=');
  await page.waitForLoadState('networkidle');
  expect(await page.locator('main img, script:not([src]):has-text("__pwned")').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  await page.getByTestId(`event-open-${pushed.created.eventId}`).click();
  await expect(page).toHaveURL(new RegExp(`[?&]id=${pushed.created.eventId}`));
  await expect(detail.getByTestId('event-detail-metadata')).toContainText('"source": "e2e"');
  await shot(page, 'events-detail');
  const runLink = detail.getByTestId('event-detail-runs').getByTestId(`event-run-${pushed.created.runIds[0]}`);
  await expect(runLink).toContainText('e2e-events-echo');
  await expect(runLink).toHaveAttribute('data-status', 'SUCCEEDED');
  await runLink.click();
  await expect(page).toHaveURL(`${stack.url}/p/default/runs/${pushed.created.runIds[0]}`);

  // Back closes nothing it should not: the event is still open.
  await page.goBack();
  await expect(page.getByTestId('event-detail-key')).toHaveText('e2e-events:created');

  // An unknown id says so instead of failing the page.
  await page.goto(`${stack.url}/p/default/events?id=0190a8f0-0000-7000-8000-000000000000`);
  await expect(page.getByTestId('event-detail-error')).toContainText('not found');
});

test('replay creates a new event linked to the original, with new runs; bulk replay does it for each selected event', async ({ page }) => {
  await page.goto(`${stack.url}/p/default/events?id=${pushed.closed.eventId}`);
  await page.getByTestId('event-replay').click();
  await expect(page).not.toHaveURL(new RegExp(`id=${pushed.closed.eventId}`));
  const replayId = new URL(page.url()).searchParams.get('id')!;
  expect(replayId).toMatch(/^[0-9a-f-]{36}$/);

  const detail = page.getByTestId('event-detail');
  await expect(detail.getByTestId('event-detail-key')).toHaveText('e2e-events:closed');
  await expect(detail.getByTestId('event-detail-replay-of')).toBeVisible();
  const runs = detail.getByTestId('event-detail-runs').locator('a');
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toHaveAttribute('data-status', 'SUCCEEDED');
  const replayRun = (await runs.first().getAttribute('data-testid'))!.replace('event-run-', '');
  expect(replayRun).not.toBe(pushed.closed.runIds[0]);
  await expect(row(page, replayId).getByTestId(`event-replay-of-${replayId}`)).toBeVisible();

  const replay = await stack.ws.events.get(replayId);
  expect(replay).toMatchObject({
    key: 'e2e-events:closed',
    replayOfId: pushed.closed.eventId,
    payload: { ticket: 't-1', resolution: 'fixed' },
    runIds: [replayRun],
  });

  // The original lists its replay, and opens it from there.
  await detail.getByTestId('event-detail-replay-of').click();
  await expect(page).toHaveURL(new RegExp(`id=${pushed.closed.eventId}`));
  await expect(detail.getByTestId(`event-detail-replay-${replayId}`)).toBeVisible();

  // Bulk: select two events, replay them.
  await page.getByTestId(`event-select-${pushed.created.eventId}`).check();
  await page.getByTestId(`event-select-${pushed.html.eventId}`).check();
  await expect(page.getByTestId('events-selected-count')).toHaveText('2 selected');
  await shot(page, 'events-selected');
  await page.getByTestId('events-bulk-replay').click();
  await expect(page.getByTestId('events-notice')).toContainText('Replayed 2 events (2 new runs)');
  await expect(page.getByTestId('events-selected-count')).toHaveText('0 selected');

  const { events } = await stack.ws.events.list({ limit: 20 });
  for (const original of [pushed.created.eventId, pushed.html.eventId]) {
    const copy = events.find((e) => e.replayOfId === original);
    expect(copy, `a replay of ${original}`).toBeDefined();
    await expect(row(page, copy!.id)).toBeVisible();
    const detailOfCopy = await stack.ws.events.get(copy!.id);
    expect(detailOfCopy.runIds).toHaveLength(1);
  }
});

test('bulk replay with an event of no project of mine replays nothing (NOT_FOUND)', async ({ page }) => {
  const replaysOfClosed = async () =>
    (await stack.ws.events.list({ key: 'e2e-events:closed', limit: 100 })).events.filter((e) => e.replayOfId === pushed.closed.eventId)
      .length;
  const before = await replaysOfClosed();
  const res = await page.request.post(`${stack.url}/api/trpc/events.bulkReplay`, {
    headers: { origin: stack.url, 'content-type': 'application/json' },
    data: { json: { project: 'default', ids: [pushed.closed.eventId, '0190a8f0-0000-7000-8000-000000000000'] } },
  });
  expect(res.status()).toBe(404);
  expect(await res.text()).toContain('nothing was replayed');
  expect(await replaysOfClosed()).toBe(before);
});
