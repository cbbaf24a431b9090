// Pure helpers describing the queue transport for the dashboard. Never leak
// credentials: every URL shown to a browser goes through redactUrl first.

import { redactUrl } from '@/server/db/redact-url';

export { redactUrl };

export type TransportKind = 'redis' | 'postgres';

/** `host:port` from a URL, without credentials; null when it cannot be parsed. */
function hostPort(url: string, defaultPort: string): string | null {
  try {
    const parsed = new URL(url);
    if (!parsed.hostname) return null;
    return `${parsed.hostname}:${parsed.port || defaultPort}`;
  } catch {
    return null;
  }
}

export interface TransportInfo {
  kind: TransportKind;
  /** Short human label for the header badge, e.g. "Redis 127.0.0.1:6379". */
  label: string;
  /** The connection URL with any password replaced by ***. */
  url: string;
}

export function describeTransport(opts: { transport: TransportKind; redisUrl: string; databaseUrl: string }): TransportInfo {
  if (opts.transport === 'redis') {
    const where = hostPort(opts.redisUrl, '6379');
    const tls = opts.redisUrl.startsWith('rediss:') ? ' (TLS)' : '';
    return { kind: 'redis', label: `Redis ${where ?? ''}${tls}`.trim(), url: redactUrl(opts.redisUrl) };
  }
  return { kind: 'postgres', label: 'PostgreSQL (BullMQ Postgres backend)', url: redactUrl(opts.databaseUrl) };
}
