import type { ResolvedTransport } from '../../src/server/services/resolve-transport';

/** Integration tests run once per transport: WHETSTONE_TEST_TRANSPORT=redis|postgres (default redis). */
export function testTransport(): ResolvedTransport {
  const kind = process.env.WHETSTONE_TEST_TRANSPORT ?? 'redis';
  if (kind === 'postgres') return { kind: 'postgres', source: 'forced' };
  if (kind !== 'redis') throw new Error(`WHETSTONE_TEST_TRANSPORT must be redis or postgres, not ${kind}`);
  return { kind: 'redis', url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', source: 'env' };
}
