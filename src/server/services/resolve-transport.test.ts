import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { redisAnswers, resolveTransport } from './resolve-transport';

// A fake "Redis" that answers PING, so this stays a unit test with no services.
const fake = createServer((socket) => socket.on('data', () => socket.write('+PONG\r\n')));
const port = await new Promise<number>((resolve) => fake.listen(0, '127.0.0.1', () => resolve((fake.address() as { port: number }).port)));
afterAll(() => fake.close());

describe('resolveTransport', () => {
  it('uses REDIS_URL when it answers', async () => {
    const url = `redis://127.0.0.1:${port}`;
    expect(await resolveTransport({ REDIS_URL: url })).toEqual({ kind: 'redis', url, source: 'env' });
  });

  it('fails with one clear line when REDIS_URL does not answer', async () => {
    await expect(resolveTransport({ REDIS_URL: 'redis://127.0.0.1:1' })).rejects.toThrow(/no Redis answers there/);
  });

  it('honours a forced PostgreSQL transport and refuses unknown ones', async () => {
    expect(await resolveTransport({ WHETSTONE_TRANSPORT: 'postgres', REDIS_URL: `redis://127.0.0.1:${port}` })).toEqual({
      kind: 'postgres',
      source: 'forced',
    });
    await expect(resolveTransport({ WHETSTONE_TRANSPORT: 'kafka' })).rejects.toThrow('must be "redis" or "postgres"');
  });

  it('detects a closed port as no Redis', async () => {
    expect(await redisAnswers('redis://127.0.0.1:1', 300)).toBe(false);
    expect(await redisAnswers(`redis://127.0.0.1:${port}`)).toBe(true);
  });
});
