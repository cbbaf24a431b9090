// A chaos worker: its own node process (`node --import tsx scripts/chaos/worker.ts`), so the
// chaos script can SIGKILL it mid-task. Env: WHETSTONE_API_URL/KEY (from the stack),
// CHAOS_WORKER_NAME, CHAOS_EXEC_LOG (the execution log every task appends to), CHAOS_SLOTS.
import { appendFileSync } from 'node:fs';
import { NonRetryableError, Whetstone, type TaskRef } from '@whetstone/sdk';

interface ChaosInput {
  seq: number;
}
interface ChaosOutput {
  seq: number;
  task: string;
  attempt: number;
  pid: number;
}

const name = process.env.CHAOS_WORKER_NAME ?? `chaos-${process.pid}`;
const execLog = process.env.CHAOS_EXEC_LOG;
if (!execLog) throw new Error('CHAOS_EXEC_LOG is not set (the chaos script sets it)');
const slots = Number(process.env.CHAOS_SLOTS ?? 20);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The task body: 20-150 ms of "work", then one line `<seq> <task> <attempt> <pid> <epoch ms>` appended
 * to the execution log (O_APPEND, so lines from several processes never interleave). The line is
 * the task's side effect: it is written when the work is done, just before the result is returned,
 * so two lines for one seq/task mean the work was done twice. The time only serves to tell which
 * fault a re-execution followed.
 */
async function work(task: string, input: ChaosInput, attempt: number): Promise<ChaosOutput> {
  await sleep(20 + Math.floor(Math.random() * 131));
  appendFileSync(execLog!, `${input.seq} ${task} ${attempt} ${process.pid} ${Date.now()}\n`, { flag: 'a' });
  return { seq: input.seq, task, attempt, pid: process.pid };
}

const ws = Whetstone.init();
const wf = ws.workflow<ChaosInput>({ name: 'chaos-chain', description: 'npm run chaos: two tasks a -> b' });
const a: TaskRef<ChaosOutput> = wf.task({
  name: 'a',
  retries: 3,
  executionTimeout: '30s',
  fn: (input, ctx) => work('a', input, ctx.attempt),
});
wf.task({
  name: 'b',
  parents: [a],
  retries: 3,
  executionTimeout: '30s',
  fn: async (input, ctx) => {
    // The parent's output must be this run's: a mix-up between runs fails the run visibly.
    const parent = ctx.parentOutput(a);
    if (parent?.seq !== input.seq) throw new NonRetryableError(`parent a of seq ${input.seq} returned seq ${parent?.seq}`);
    return work('b', input, ctx.attempt);
  },
});

const worker = ws.worker(name, { workflows: [wf], slots });
await worker.start();
console.log(`[chaos-worker] ${name} registered as ${worker.id} (pid ${process.pid}, ${slots} slots)`);
