// `tsx scripts/bench/web-cost.ts`: CPU the web process spends per request, for a trivial route
// (GET /api/health) and for single triggers (POST /api/v1/workflows/:name/runs), one at a time on
// a fresh stack. Tells the framework's share of a trigger from ours.
import { startTestStack } from '../../tests/helpers/stack';
import { ensureNextBuild } from '../stack/next-build';
import { cpuSeconds, processTree } from './lib/proc';

const N = Number(process.env.N ?? 300);
ensureNextBuild(new URL('../..', import.meta.url).pathname, console.log);
// BENCH_CPU_PROF=dir: also sample the web's CPU (see cpu-profiler-preload.mjs).
const profDir = process.env.BENCH_CPU_PROF;
const stack = await startTestStack({
  env: profDir
    ? {
        NODE_OPTIONS: `--import=${new URL('./processes/cpu-profiler-preload.mjs', import.meta.url).pathname}`,
        WHETSTONE_CPU_PROF_DIR: profDir,
      }
    : {},
});
/** CPU milliseconds the processes have used so far. */
const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid) * 1000, 0);
try {
  const webPids = () => stack.processes.filter((p) => p.name === 'web').flatMap((p) => processTree(p.child.pid!));
  const wf = stack.ws.task({ name: 'web-cost', fn: () => 'ok' });
  const worker = stack.ws.worker('web-cost', { workflows: [wf], handleSignals: false });
  await worker.start();
  await worker.stop(); // registered; no one consumes, so only the trigger path runs
  for (let i = 0; i < 20; i++) await fetch(`${stack.url}/api/health`);
  for (let i = 0; i < 20; i++) await wf.runNoWait({});
  const measure = async (label: string, fn: () => Promise<unknown>) => {
    const c0 = cpuOf(webPids());
    const t0 = Date.now();
    for (let i = 0; i < N; i++) await fn();
    const ms = Date.now() - t0;
    console.log(
      `${label}: ${((cpuOf(webPids()) - c0) / N).toFixed(2)} ms web CPU and ${(ms / N).toFixed(2)} ms wall per request (${N} in a row)`,
    );
  };
  if (!process.env.ONLY_TRIGGERS) await measure('GET /api/health', () => fetch(`${stack.url}/api/health`).then((r) => r.text()));
  await measure('single trigger', () => wf.runNoWait({}));
} finally {
  await stack.stop();
}
