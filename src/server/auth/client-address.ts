import { env } from '@/server/env';

/** WHETSTONE_TRUSTED_PROXIES (unset: 0): how many reverse proxies in front append to X-Forwarded-For. */
export function trustedProxies(): number {
  return env().WHETSTONE_TRUSTED_PROXIES ?? 0;
}

/**
 * The client's address for the sign-in limits. Next.js fills X-Forwarded-For from the socket
 * only when the request has none, so:
 * - no trusted proxy (0): the last entry — the socket's address, or whatever a client that sent
 *   its own header wrote (such a client escapes the per-address limits, never the per-email one);
 * - N trusted proxies: each appended the address it saw, so the Nth entry from the right is what
 *   the outermost trusted proxy saw (entries further left are the client's own claims).
 */
export function clientAddress(request: Request, proxies = trustedProxies()): string {
  const entries = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const index = entries.length - Math.max(1, proxies);
  return (entries[Math.max(0, index)] ?? 'unknown').slice(0, 100);
}
