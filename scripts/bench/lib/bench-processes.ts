// Processes the benchmark adds to a stack: SDK worker processes and extra engines.
import type { TestStack } from '../../../tests/helpers/stack';
import { startProcess, type ManagedProcess } from '../../stack/processes';

export interface WorkerProcessOptions {
  root: string;
  slots?: number;
  /** Each task execution appends a line here (see worker-process.ts). */
  execLog?: string;
  echo?: boolean;
}

let workerSeq = 0;

/** Starts one `scripts/bench/processes/worker-process.ts` and waits until it has registered with the server. */
export async function startWorkerProcess(stack: TestStack, opts: WorkerProcessOptions): Promise<ManagedProcess> {
  const name = `bench-worker-${++workerSeq}`;
  const proc = startProcess(name, process.execPath, ['--import', 'tsx', 'scripts/bench/processes/worker-process.ts'], {
    env: {
      ...stack.env,
      BENCH_WORKER_NAME: name,
      ...(opts.slots ? { BENCH_SLOTS: String(opts.slots) } : {}),
      ...(opts.execLog ? { BENCH_EXEC_LOG: opts.execLog } : {}),
    },
    echo: opts.echo ?? false,
    cwd: opts.root,
  });
  await waitForOutput(proc, /registered as/, 60_000);
  return proc;
}

/** Starts one more engine on the stack (the stack stops it with the others). */
export async function startExtraEngine(stack: TestStack): Promise<ManagedProcess> {
  const engine = stack.startEngine();
  await waitForOutput(engine, /\[engine\] ready/, 60_000);
  return engine;
}

export async function waitForOutput(proc: ManagedProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(proc.tail())) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${proc.name} (pid ${proc.child.pid}) exited before printing ${pattern}:\n${proc.tail()}`);
    }
    if (Date.now() > deadline)
      throw new Error(`${proc.name} (pid ${proc.child.pid}) did not print ${pattern} within ${timeoutMs / 1000} s:\n${proc.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
