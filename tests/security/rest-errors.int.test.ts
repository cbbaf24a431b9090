import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Whetstone, WhetstoneApiError } from '@whetstone/sdk';
import { startTestStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

const post = (path: string, body: unknown, key = stack.apiKey) =>
  fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('bad input gets a clear error and stores nothing', () => {
  it('a wrong API key gets 401 at worker start', async () => {
    const ws = Whetstone.init({ apiUrl: stack.url, apiKey: 'ws_not-a-real-key' });
    const wf = ws.workflow({ name: 'never-registered' });
    wf.task({ name: 'a', fn: () => 1 });
    const error = await ws
      .worker('intruder', { workflows: [wf], handleSignals: false })
      .start()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhetstoneApiError);
    expect((error as WhetstoneApiError).status).toBe(401);
    expect((error as Error).message).toContain('Invalid or missing API key');
    expect(await stack.prisma.workflow.count({ where: { name: 'never-registered' } })).toBe(0);
  });

  it('a cyclic definition is refused at registration, naming the task', async () => {
    const res = await post('/api/v1/workers', {
      name: 'w',
      workflows: [
        {
          name: 'loop',
          tasks: [
            { name: 'a', parents: ['c'] },
            { name: 'b', parents: ['a'] },
            { name: 'c', parents: ['b'] },
          ],
        },
      ],
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/Workflow 'loop': task '[abc]' is part of a cycle \([abc] -> [abc] -> [abc] -> [abc]\)/);
    expect(await stack.prisma.workflow.count()).toBe(0);
  });

  it('a dangling parent is refused, naming the task and the parent', async () => {
    const res = await post('/api/v1/workers', {
      name: 'w',
      workflows: [{ name: 'dangling', tasks: [{ name: 'child', parents: ['ghost'] }] }],
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("Workflow 'dangling': task 'child' has parent 'ghost', which is not a task of this workflow");
  });

  it('malformed JSON, invalid shapes and oversized bodies are refused', async () => {
    const malformed = await post('/api/v1/workers', '{"name":');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toMatch(/not valid JSON/);

    const shape = await post('/api/v1/workers', { name: 'w', workflows: [] });
    expect(shape.status).toBe(400);
    expect((await shape.json()).error).toContain('workflows: a worker needs at least one workflow');

    const big = await post('/api/v1/workflows/anything/runs', { input: { blob: 'x'.repeat(1024 * 1024) } });
    expect(big.status).toBe(413);
    expect((await big.json()).error).toMatch(/limit is 1048576 bytes/);
    expect(await stack.prisma.workflowRun.count()).toBe(0);
  });

  it('unknown workflows and runs are 404 with a useful message', async () => {
    const unknownWorkflow = await post('/api/v1/workflows/nope/runs', { input: {} });
    expect(unknownWorkflow.status).toBe(404);
    expect((await unknownWorkflow.json()).error).toContain("Workflow 'nope' is not registered");

    for (const id of ['not-a-uuid', '0190a8f0-0000-7000-8000-000000000000']) {
      const res = await fetch(`${stack.url}/api/v1/runs/${id}`, { headers: { authorization: `Bearer ${stack.apiKey}` } });
      expect(res.status).toBe(404);
      expect((await res.json()).error).toBe(`Run '${id}' not found`);
    }
  });
});
