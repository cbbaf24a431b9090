// Runs the raw BullMQ baseline (raw-bullmq.ts) in a child process against the stack's backend,
// on queues of its own: Redis keys under `<stack prefix>:raw` (removed with the stack's), or the
// Postgres schema `<stack prefix>_raw` in the stack's scratch database (dropped with it).
import { spawn } from 'node:child_process';
import type { TransportConnection } from '@whetstone/sdk/contract';
import type { TestStack } from '../../../tests/helpers/stack';
import type { Summary } from './stats';

export interface RawResult {
  jobs: number;
  concurrency: number;
  /** addBulk of all N jobs took this long (processing ran meanwhile). */
  addMs: number;
  totalMs: number;
  jobsPerSecond: number;
  latency: { ratePerSecond: number; offeredRate: number; addToStartMs: Summary };
  /** VmHWM of the baseline process: a node process doing nothing but BullMQ. */
  peakRssMB: number;
}

export const RAW_RESULT_PREFIX = 'RAW-RESULT ';

export interface RawOptions {
  root: string;
  jobs: number;
  concurrency: number;
  ratePerSecond: number;
  latencyMs: number;
}

/** The baseline's own queues on the stack's backend. */
export function rawConnection(env: NodeJS.ProcessEnv): TransportConnection {
  const prefix = env.WHETSTONE_QUEUE_PREFIX;
  if (!prefix) throw new Error('the stack has no WHETSTONE_QUEUE_PREFIX');
  if (env.WHETSTONE_TRANSPORT === 'redis') return { kind: 'redis', url: env.REDIS_URL!, prefix: `${prefix}:raw` };
  return { kind: 'postgres', connectionString: env.DATABASE_URL!, schema: `${prefix.toLowerCase().replace(/-/g, '_')}_raw` };
}

/** Parses the child's `RAW-RESULT {json}` line out of its whole stdout. */
export function parseRawOutput(stdout: string): RawResult {
  const line = stdout.split('\n').find((l) => l.startsWith(RAW_RESULT_PREFIX));
  if (!line) throw new Error(`the raw BullMQ baseline printed no ${RAW_RESULT_PREFIX.trim()} line:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(RAW_RESULT_PREFIX.length)) as RawResult;
}

export function runRawBaseline(stack: TestStack, opts: RawOptions, timeoutMs = 240_000): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/processes/raw-bullmq.ts'], {
      cwd: opts.root,
      env: {
        ...stack.env,
        BENCH_RAW_CONNECTION: JSON.stringify(rawConnection(stack.env)),
        BENCH_RAW_JOBS: String(opts.jobs),
        BENCH_RAW_CONCURRENCY: String(opts.concurrency),
        BENCH_RAW_RATE: String(opts.ratePerSecond),
        BENCH_RAW_LATENCY_MS: String(opts.latencyMs),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the raw BullMQ baseline did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`the raw BullMQ baseline exited with code ${code}:\n${stderr.slice(-2000)}`));
      try {
        resolve(parseRawOutput(stdout));
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}
