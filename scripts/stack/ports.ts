import { createRequire } from 'node:module';
import { createServer } from 'node:net';

// Next.js (and every browser) refuses the fetch spec's blocked ports ("Bad port: reserved for
// apple-sasl" on 3659); Next's own list decides, so a port it would refuse is never handed out.
const { isPortIsReserved } = createRequire(import.meta.url)('next/dist/lib/helpers/get-reserved-port.js') as {
  isPortIsReserved: (port: number) => boolean;
};

/** Whether Next.js and browsers accept `port` (not on the fetch spec's port-blocking list). */
export function isUsablePort(port: number): boolean {
  return !isPortIsReserved(port);
}

/** The first port from `start` that nothing listens on and that Next.js and browsers accept. */
export async function findFreePort(start: number, attempts = 50): Promise<number> {
  for (let port = start; port < start + attempts; port++) {
    if (isUsablePort(port) && (await isFree(port))) return port;
  }
  throw new Error(`No free port between ${start} and ${start + attempts - 1}: set PORT to a free one`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

export async function waitForHttp(url: string, timeoutMs: number, isDead: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isDead()) throw new Error(`process serving ${url} exited`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
