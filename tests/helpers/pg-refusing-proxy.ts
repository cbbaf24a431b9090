import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that can refuse connections the way a full server does: it
 * answers the startup message with `FATAL 53300 sorry, too many clients already` and hangs up.
 * `refuse()` can also drop the connections already open (what a restart, or an administrator's
 * pg_terminate_backend, does). Only the clients pointed at the proxy are affected, so a test can
 * starve one worker while the rest of its stack, and anything else using the server, carry on.
 */
export interface RefusingProxy {
  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string;
  /** New connections get "too many clients"; with `dropOpen`, the open ones are cut too. */
  refuse(opts?: { dropOpen?: boolean }): void;
  accept(): void;
  /** Connections currently proxied. */
  open(): number;
  /** Connections refused so far. */
  refused(): number;
  close(): Promise<void>;
}

export async function startRefusingProxy(upstream: { host: string; port: number }): Promise<RefusingProxy> {
  let refusing = false;
  let refusedCount = 0;
  const pairs = new Set<{ client: Socket; server: Socket }>();

  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (refusing) {
      refuseStartup(client);
      refusedCount++;
      return;
    }
    const upstreamSocket = connect(upstream.port, upstream.host);
    const pair = { client, server: upstreamSocket };
    pairs.add(pair);
    upstreamSocket.on('error', () => client.destroy());
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstreamSocket.destroy();
    };
    client.on('close', drop);
    upstreamSocket.on('close', drop);
    client.pipe(upstreamSocket);
    upstreamSocket.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    url(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    refuse({ dropOpen = false } = {}) {
      refusing = true;
      if (dropOpen) {
        for (const { client, server: s } of [...pairs]) {
          client.destroy();
          s.destroy();
        }
        pairs.clear();
      }
    },
    accept() {
      refusing = false;
    },
    open: () => pairs.size,
    refused: () => refusedCount,
    async close() {
      for (const { client, server: s } of pairs) {
        client.destroy();
        s.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads the startup message (answering an SSLRequest with 'N'), then replies FATAL 53300 and hangs up. */
function refuseStartup(client: Socket): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 8) {
      const length = buffered.readInt32BE(0);
      if (buffered.length < length) return;
      const code = buffered.readInt32BE(4);
      buffered = buffered.subarray(length);
      if (code === 80877103 || code === 80877104) {
        client.write('N'); // SSLRequest / GSSENCRequest: not supported, go on in plain text
        continue;
      }
      client.off('data', onData);
      client.end(errorResponse('53300', 'sorry, too many clients already'));
      return;
    }
  };
  client.on('data', onData);
}

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat(
    [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', code],
      ['M', message],
    ].map(([type, value]) => Buffer.from(`${type}${value}\0`, 'utf8')),
  );
  const body = Buffer.concat([fields, Buffer.from([0])]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
