// A benchmark worker: its own node process (`node --import tsx scripts/bench/processes/worker-process.ts`),
// so its memory is measured apart from the benchmark's client and several can compete for jobs.
// Env: WHETSTONE_API_URL/KEY (from the stack), BENCH_WORKER_NAME, BENCH_SLOTS (slots per task
// queue, default the SDK's 10), BENCH_EXEC_LOG (optional: one line `<taskRunId> <attempt> <pid> <epoch ms>`
// appended per task execution, O_APPEND so several processes never interleave within a line).
import { appendFileSync } from 'node:fs';
import { Whetstone } from '@whetstone/sdk';
import { defineBenchWorkflows } from '../lib/bench-workflows';

const name = process.env.BENCH_WORKER_NAME ?? `bench-worker-${process.pid}`;
const slotsRaw = process.env.BENCH_SLOTS;
const slots = slotsRaw ? Number(slotsRaw) : undefined;
if (slots !== undefined && !(Number.isInteger(slots) && slots > 0))
  throw new Error(`BENCH_SLOTS must be a positive integer, not ${slotsRaw}`);
const execLog = process.env.BENCH_EXEC_LOG;

const ws = Whetstone.init();
const workflows = defineBenchWorkflows(
  ws,
  execLog ? (ctx) => appendFileSync(execLog, `${ctx.taskRunId} ${ctx.attempt} ${process.pid} ${Date.now()}\n`, { flag: 'a' }) : undefined,
);
// declarative: false — the repository's own .whetstone folder (demo YAML workflows) is not benchmarked.
const worker = ws.worker(name, { workflows: [workflows.one, workflows.chain, workflows.event], slots, declarative: false });
await worker.start();
console.log(`[bench-worker] ${name} registered as ${worker.id} (pid ${process.pid}, ${slots ?? 10} slots)`);
