import { Socket } from 'node:net';
import { redactUrl } from '@/server/db/pg-admin';
import { LOCAL_REDIS_URL, settings } from '@/server/env';

export type ResolvedTransport =
  { kind: 'redis'; url: string; source: 'env' | 'local' } | { kind: 'postgres'; source: 'forced' | 'fallback' };

/**
 * Redis when REDIS_URL is set or 127.0.0.1:6379 answers PING; otherwise
 * BullMQ's PostgreSQL backend on the app database. WHETSTONE_TRANSPORT forces one.
 */
export async function resolveTransport(environment: Record<string, string | undefined> = process.env): Promise<ResolvedTransport> {
  const { WHETSTONE_TRANSPORT: forced, REDIS_URL: redisUrl } = settings(environment);
  if (forced === 'postgres') return { kind: 'postgres', source: 'forced' };
  if (redisUrl) {
    if (!(await redisAnswers(redisUrl))) {
      throw new Error(
        `REDIS_URL is set to ${redactUrl(redisUrl)} but no Redis answers there: start it, or unset REDIS_URL to use PostgreSQL for queues`,
      );
    }
    return { kind: 'redis', url: redisUrl, source: 'env' };
  }
  if (await redisAnswers(LOCAL_REDIS_URL)) return { kind: 'redis', url: LOCAL_REDIS_URL, source: 'local' };
  if (forced === 'redis') {
    throw new Error(
      'WHETSTONE_TRANSPORT=redis but no Redis answers on 127.0.0.1:6379: start one (apt-get install redis-server) or set REDIS_URL',
    );
  }
  return { kind: 'postgres', source: 'fallback' };
}

/** Sends a raw PING (no client library, no reconnect loop) and waits up to `timeoutMs` for +PONG or an auth error. */
export function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH|-ERR)/.test(data.toString())));
    socket.connect(Number(port || 6379), hostname.replace(/^\[|\]$/g, ''), () => socket.write('PING\r\n'));
  });
}
