import { afterEach, describe, expect, it, vi } from 'vitest';
import { TriggerCoalescer, bulkChunks, shiftItemIndexes, type TriggerItem, type TriggerSender } from './bulk';
import { Whetstone } from './client';
import { WhetstoneApiError } from './http';

/** A sender that records what it was asked and answers `run-<idempotencyKey>`, refusing items whose input says so. */
function recordingSender(refuse: (item: TriggerItem) => WhetstoneApiError | undefined = () => undefined) {
  const calls: Array<{ kind: 'one' | 'many'; workflow: string; keys: string[] }> = [];
  const sender: TriggerSender = {
    async one(workflow, item) {
      calls.push({ kind: 'one', workflow, keys: [item.idempotencyKey] });
      const err = refuse(item);
      if (err) throw err;
      return `run-${item.idempotencyKey}`;
    },
    async many(workflow, items) {
      calls.push({ kind: 'many', workflow, keys: items.map((i) => i.idempotencyKey) });
      const bad = items.findIndex((i) => refuse(i));
      if (bad >= 0) throw new WhetstoneApiError(refuse(items[bad]!)!.status, `runs.${bad}: ${refuse(items[bad]!)!.message}`);
      return items.map((i) => `run-${i.idempotencyKey}`);
    },
  };
  return { sender, calls };
}

const item = (key: string, input: unknown = {}): TriggerItem => ({ input, idempotencyKey: key });

describe('TriggerCoalescer', () => {
  it('sends the triggers of one tick for one workflow as one bulk request; each caller gets its own id', async () => {
    const { sender, calls } = recordingSender();
    const coalescer = new TriggerCoalescer(sender);
    const ids = await Promise.all(['a', 'b', 'c'].map((k) => coalescer.trigger('wf', item(k))));
    expect(ids).toEqual(['run-a', 'run-b', 'run-c']);
    expect(calls).toEqual([{ kind: 'many', workflow: 'wf', keys: ['a', 'b', 'c'] }]);
  });

  it('sends a lone trigger to the single-run endpoint, and spread-out triggers one by one', async () => {
    const { sender, calls } = recordingSender();
    const coalescer = new TriggerCoalescer(sender);
    expect(await coalescer.trigger('wf', item('a'))).toBe('run-a');
    expect(await coalescer.trigger('wf', item('b'))).toBe('run-b');
    expect(calls.map((c) => c.kind)).toEqual(['one', 'one']);
  });

  it('keeps workflows apart', async () => {
    const { sender, calls } = recordingSender();
    const coalescer = new TriggerCoalescer(sender);
    const ids = await Promise.all([
      coalescer.trigger('x', item('1')),
      coalescer.trigger('y', item('2')),
      coalescer.trigger('x', item('3')),
    ]);
    expect(ids).toEqual(['run-1', 'run-2', 'run-3']);
    expect(calls).toEqual([
      { kind: 'many', workflow: 'x', keys: ['1', '3'] },
      { kind: 'one', workflow: 'y', keys: ['2'] },
    ]);
  });

  it('sends a full batch at once, without waiting for the tick to end', async () => {
    const { sender, calls } = recordingSender();
    const coalescer = new TriggerCoalescer(sender, { maxBatch: 100 });
    const pending = Array.from({ length: 250 }, (_, i) => coalescer.trigger('wf', item(String(i))));
    // Two full batches went out synchronously; the rest waits for the tick.
    expect(calls.map((c) => c.keys.length)).toEqual([100, 100]);
    const ids = await Promise.all(pending);
    expect(calls.map((c) => c.keys.length)).toEqual([100, 100, 50]);
    expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => `run-${i}`));
  });

  it('after a 400 for one item, sends every item on its own: only the bad one fails', async () => {
    const { sender, calls } = recordingSender((i) =>
      (i.input as { bad?: boolean }).bad ? new WhetstoneApiError(400, 'Invalid input') : undefined,
    );
    const coalescer = new TriggerCoalescer(sender);
    const results = await Promise.allSettled([
      coalescer.trigger('wf', item('a')),
      coalescer.trigger('wf', item('b', { bad: true })),
      coalescer.trigger('wf', item('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<string>).value).toBe('run-a');
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ status: 400, message: 'Invalid input' });
    expect(calls.map((c) => c.kind)).toEqual(['many', 'one', 'one', 'one']);
    // The same keys again: a resend can never start a second run.
    expect(
      calls
        .slice(1)
        .flatMap((c) => c.keys)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
  });

  it('gives every caller the error of a request that failed for all (unknown workflow, server down)', async () => {
    const down = new WhetstoneApiError(0, 'Cannot reach the Whetstone server');
    const sender: TriggerSender = { one: vi.fn(), many: vi.fn(async () => Promise.reject(down)) };
    const coalescer = new TriggerCoalescer(sender);
    const results = await Promise.allSettled([coalescer.trigger('wf', item('a')), coalescer.trigger('wf', item('b'))]);
    expect(results).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    expect(sender.one).not.toHaveBeenCalled();
  });
});

describe('bulkChunks', () => {
  it('splits by run count and by body size, remembering where each chunk starts', () => {
    const byCount = bulkChunks(
      Array.from({ length: 2500 }, (_, i) => i),
      10_000_000,
      1000,
    );
    expect(byCount.map((c) => [c.offset, c.items.length])).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 500],
    ]);
    const big = 'x'.repeat(400_000);
    const bySize = bulkChunks([big, big, big, 'small', 'small', big], 1024 * 1024);
    expect(bySize.map((c) => [c.offset, c.items.length])).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(bulkChunks([big, big, big, big, big], 1024 * 1024).map((c) => [c.offset, c.items.length])).toEqual([
      [0, 2],
      [2, 2],
      [4, 1],
    ]);
    // An item over the budget goes alone (the server answers 413 for it).
    expect(bulkChunks(['y'.repeat(2_000_000), 'z'], 1024 * 1024).map((c) => c.items.length)).toEqual([1, 1]);
  });
});

describe('shiftItemIndexes', () => {
  it("turns a request's item index into the index among all items", () => {
    const err = new WhetstoneApiError(
      400,
      'POST /api/v1/workflows/wf/runs/bulk failed with 400: Invalid request: runs.3.priority: Too big',
    );
    expect((shiftItemIndexes(err, 1000) as Error).message).toBe(
      'POST /api/v1/workflows/wf/runs/bulk failed with 400: Invalid request: runs.1003.priority: Too big',
    );
    expect(shiftItemIndexes(err, 0)).toBe(err);
  });
});

describe('Whetstone client coalescing (over a stubbed fetch)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function stubServer(answer: (path: string, body: any, call: number) => Response) {
    const requests: Array<{ path: string; body: any }> = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        const path = new URL(url).pathname;
        const body = JSON.parse(String(init.body));
        requests.push({ path, body });
        return answer(path, body, requests.length);
      }),
    );
    return requests;
  }

  it('sends concurrent runNoWait calls as one bulk request, each with its own sdk: key, and resends the same keys on a 503', async () => {
    const requests = stubServer((path, body, call) =>
      call === 1
        ? Response.json({ error: 'restarting' }, { status: 503 })
        : Response.json({ runIds: body.runs.map((r: { idempotencyKey: string }) => `id-${r.idempotencyKey}`) }),
    );
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const ws = Whetstone.init({ apiUrl: 'http://whetstone.test', apiKey: 'ws_test' });
      const wf = ws.workflow<{ n: number }>({ name: 'bulk-unit' });
      const pending = Promise.all(Array.from({ length: 5 }, (_, n) => wf.runNoWait({ n }, { priority: 2 })));
      await vi.waitFor(() => expect(requests).toHaveLength(1));
      await vi.advanceTimersByTimeAsync(1000);
      const refs = await pending;
      expect(requests.map((r) => r.path)).toEqual(['/api/v1/workflows/bulk-unit/runs/bulk', '/api/v1/workflows/bulk-unit/runs/bulk']);
      const keys = requests[0]!.body.runs.map((r: { idempotencyKey: string }) => r.idempotencyKey);
      expect(new Set(keys).size).toBe(5);
      for (const key of keys) expect(key).toMatch(/^sdk:[0-9a-f-]{36}$/);
      expect(requests[1]!.body).toEqual(requests[0]!.body);
      expect(requests[0]!.body.runs[3]).toEqual({ input: { n: 3 }, priority: 2, idempotencyKey: keys[3] });
      expect(refs.map((r) => r.runId)).toEqual(keys.map((k: string) => `id-${k}`));
    } finally {
      vi.useRealTimers();
    }
  });

  it('uses the single-run endpoint for one call, and for child runs', async () => {
    const requests = stubServer(() => Response.json({ runId: 'one' }));
    const ws = Whetstone.init({ apiUrl: 'http://whetstone.test', apiKey: 'ws_test' });
    const wf = ws.workflow({ name: 'bulk-unit' });
    expect((await wf.runNoWait({})).runId).toBe('one');
    const parent = { taskRunId: '0190b7a0-0000-7000-8000-000000000000', key: '0' };
    await Promise.all([ws.triggerRun('bulk-unit', {}, { parent }), ws.triggerRun('bulk-unit', {}, { parent: { ...parent, key: '1' } })]);
    expect(requests.map((r) => r.path)).toEqual(Array(3).fill('/api/v1/workflows/bulk-unit/runs'));
    expect(requests[2]!.body.parent).toEqual({ ...parent, key: '1' });
  });

  it('runNoWaitMany checks every item before sending, naming the item', async () => {
    const requests = stubServer(() => Response.json({ runIds: [] }));
    const ws = Whetstone.init({ apiUrl: 'http://whetstone.test', apiKey: 'ws_test' });
    const wf = ws.workflow<{ n: number }>({ name: 'bulk-unit' });
    await expect(wf.runNoWaitMany([{ input: { n: 1 } }, { input: { n: 2 }, options: { priority: 7 as 1 } }])).rejects.toThrow(
      /Item 1: run priority/,
    );
    await expect(wf.runMany([{ n: 1 }], { idempotencyKey: 'same' } as never)).rejects.toThrow(/one idempotencyKey for every run/);
    expect(await wf.runNoWaitMany([])).toEqual([]);
    expect(requests).toHaveLength(0);
  });
});
