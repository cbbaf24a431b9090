import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { notFound } from '@/server/errors';
import { publicProcedure, router, type Context } from '@/server/trpc';

// The dashboard's tRPC as the browser sees it, through the fetch adapter (errorFormatter applies).
const appRouter = router({
  createRun: publicProcedure.mutation(() => {
    throw new Error('Invalid `prisma.workflowRun.create()` invocation: unsupported Unicode escape sequence (22P05)');
  }),
  domain: publicProcedure.mutation(() => {
    throw notFound("Run 'x' not found");
  }),
  store: publicProcedure.input(z.unknown()).mutation(() => 'stored'),
  read: publicProcedure.input(z.unknown()).query(() => 'read'),
});

async function call(path: string, input?: unknown, method: 'POST' | 'GET' = 'POST', raw?: string) {
  const encoded = raw ?? JSON.stringify(superjson.serialize(input));
  const url = `http://localhost/api/trpc/${path}${method === 'GET' ? `?input=${encodeURIComponent(encoded)}` : ''}`;
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(url, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? encoded : undefined }),
    router: appRouter,
    createContext: (): Context => ({ db: {} as Context['db'], user: null }),
  });
  const json = (await res.json()) as { error?: { json: { message: string; data: Record<string, unknown> } } };
  return { status: res.status, body: { error: json.error?.json } };
}

afterEach(() => vi.restoreAllMocks());

describe('tRPC errors the browser sees', () => {
  it('a 500 that is not a DomainError says only "Internal server error" with an id; the detail is logged with it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { status, body } = await call('createRun');
    expect(status).toBe(500);
    const message = body.error!.message;
    expect(message).toMatch(/^Internal server error \(error id [0-9a-f-]{36}\)$/);
    expect(JSON.stringify(body)).not.toMatch(/prisma|22P05|Unicode/i);
    const errorId = body.error!.data.errorId as string;
    expect(message).toContain(errorId);
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toContain(errorId);
    expect(String(log.mock.calls[0]![1])).toContain('22P05');
  });

  it('a DomainError keeps its message', async () => {
    const { status, body } = await call('domain');
    expect(status).toBe(404);
    expect(body.error!.message).toBe("Run 'x' not found");
  });
});

describe('mutation inputs Postgres cannot store', () => {
  it('a NUL or a lone surrogate anywhere is a 400 naming the path', async () => {
    const nul = await call('store', { project: 'default', input: { items: [1, 2, { name: 'a\u0000' }] } });
    expect(nul.status).toBe(400);
    expect(nul.body.error!.message).toBe(
      'Invalid request: input.input.items[2].name string contains a NUL character (\\u0000), which cannot be stored',
    );
    const lone = await call('store', { name: '\uD800' });
    expect(lone.status).toBe(400);
    expect(lone.body.error!.message).toMatch(/^Invalid request: input\.name string contains a lone UTF-16 surrogate/);
  });

  it('10 000 levels of nesting is a 400, not a stack overflow', async () => {
    // Written as the browser would send it (superjson adds no meta to plain JSON).
    const raw = `{"json":{"deep":${'['.repeat(10_000)}1${']'.repeat(10_000)}}}`;
    const { status, body } = await call('store', undefined, 'POST', raw);
    expect(status).toBe(400);
    expect(body.error!.message).toMatch(/nested more than 100 levels deep/);
  });

  it('ordinary input goes through; queries are not checked', async () => {
    expect((await call('store', { name: 'fine 😀' })).status).toBe(200);
    expect((await call('read', { name: 'a\u0000' }, 'GET')).status).toBe(200);
  });
});
