import { join } from 'node:path';
import type { ResolvedTransport } from '../../src/server/services/resolve-transport';
import { engineEntry } from './engine-bundle';
import { startProcess, type ManagedProcess } from './processes';
import { findFreePort, waitForHttp } from './ports';

export interface StackOptions {
  root: string;
  databaseUrl: string;
  transport: ResolvedTransport;
  /** Isolates queues: Redis key prefix, or the BullMQ Postgres schema name. */
  queuePrefix: string;
  apiKey: string;
  port?: number;
  /** `start` serves the production build (see ensureNextBuild); `dev` runs next dev. */
  nextMode?: 'start' | 'dev';
  demoWorker?: boolean;
  /** Print the children's output, prefixed with their names. */
  echo?: boolean;
  /** Extra environment for every process (e.g. shorter recovery intervals in tests). */
  env?: Record<string, string>;
  /** Aborting it while the stack starts stops what was started, and launchStack rejects. */
  signal?: AbortSignal;
}

export interface Stack {
  url: string;
  env: NodeJS.ProcessEnv;
  processes: ManagedProcess[];
  /** Starts (or restarts) a named process of the stack, e.g. the engine after a test killed it. */
  startEngine(): ManagedProcess;
  stop(): Promise<void>;
}

/** Starts web + engine (+ the demo worker) against an already migrated database. */
export async function launchStack(opts: StackOptions): Promise<Stack> {
  const port = opts.port ?? (await findFreePort(3000));
  const url = `http://localhost:${port}`;
  const bin = (name: string) => join(opts.root, 'node_modules/.bin', name);
  // The stack's processes do not inherit NODE_OPTIONS (a test runner's loader hooks); opts.env may set it.
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.NODE_OPTIONS;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: opts.databaseUrl,
    WHETSTONE_TRANSPORT: opts.transport.kind,
    WHETSTONE_QUEUE_PREFIX: opts.queuePrefix,
    WHETSTONE_PUBLIC_URL: url,
    WHETSTONE_API_URL: url,
    WHETSTONE_API_KEY: opts.apiKey,
    ...(opts.transport.kind === 'redis' ? { REDIS_URL: opts.transport.url } : {}),
    ...opts.env,
  };
  const echo = opts.echo ?? false;
  const processes: ManagedProcess[] = [];
  const start = (name: string, command: string, args: string[]) => {
    const proc = startProcess(name, command, args, { env, echo, cwd: opts.root });
    processes.push(proc);
    return proc;
  };

  const stack: Stack = {
    url,
    env,
    processes,
    // Compiled once (engine-bundle.ts) rather than through tsx: ~70 MB less RSS.
    startEngine: () => start('engine', process.execPath, ['--enable-source-maps', '--max-semi-space-size=4', engineEntry(opts.root)]),
    async stop() {
      // Workers first (they finish their tasks and report), then engine, then web.
      for (const name of ['demo-worker', 'engine', 'web']) {
        await Promise.all(processes.filter((p) => p.name === name).map((p) => p.stop()));
      }
    },
  };

  const onAbort = () => void stack.stop();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    opts.signal?.throwIfAborted();
    const web = start('web', bin('next'), [opts.nextMode === 'dev' ? 'dev' : 'start', '--port', String(port)]);
    const engine = stack.startEngine();
    await waitForHttp(`${url}/api/health`, opts.nextMode === 'dev' ? 120_000 : 60_000, () => hasExited(web) || !!opts.signal?.aborted);
    await waitForLine(engine, /\[engine\] ready/, 30_000);
    if (opts.demoWorker) {
      const worker = start('demo-worker', process.execPath, ['--import', 'tsx', 'examples/worker.ts']);
      await waitForLine(worker, /registered as/, 30_000);
    }
  } catch (err) {
    await stack.stop();
    if (opts.signal?.aborted) throw opts.signal.reason;
    const dead = processes.map((p) => `--- ${p.name} ---\n${p.tail()}`).join('\n');
    throw new Error(`The stack did not start: ${(err as Error).message}\n${dead}`);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  return stack;
}

async function waitForLine(proc: ManagedProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(proc.tail())) {
    if (hasExited(proc)) throw new Error(`${proc.name} exited with ${proc.child.signalCode ?? `code ${proc.child.exitCode}`}`);
    if (Date.now() > deadline) throw new Error(`${proc.name} was not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Exited by itself or killed: a process stopped by a signal has no exit code, only a signal code. */
function hasExited(proc: ManagedProcess): boolean {
  return proc.child.exitCode !== null || proc.child.signalCode !== null;
}
