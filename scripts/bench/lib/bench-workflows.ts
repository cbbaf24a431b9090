// The workflows of `npm run bench` and `npm run bench:scale`, defined once for both sides: the
// worker processes (scripts/bench/processes/worker-process.ts) run them, the benchmark triggers them by name.
// Every task records when its function started, in its output: that is the "task start" of the
// latency figures (same machine, same wall clock as the trigger times).
import type { Context, Whetstone, Workflow } from '@whetstone/sdk';

export interface BenchInput {
  i: number;
}

export interface StartStamp {
  i: number;
  /** Date.now() when the task function was called. */
  startedAt: number;
}

export const EVENT_PATTERN = 'bench:*';
export const EVENT_KEY = 'bench:tick';

export interface BenchWorkflows {
  /** One task: the single-task runs of the throughput and latency phases. */
  one: Workflow<BenchInput, StartStamp>;
  /** Three tasks, a → b → c. */
  chain: Workflow<BenchInput, Record<string, unknown>>;
  /** One task, started by every event matching `bench:*`. */
  event: Workflow<BenchInput, StartStamp>;
}

/** `onExecute` is called once per task execution (the scale-out check counts them). */
export function defineBenchWorkflows(ws: Whetstone, onExecute?: (ctx: Context<unknown>) => void): BenchWorkflows {
  const stamp = (input: BenchInput, ctx: Context<unknown>): StartStamp => {
    const startedAt = Date.now();
    onExecute?.(ctx);
    return { i: input.i, startedAt };
  };
  const one = ws.task<BenchInput, StartStamp>({ name: 'bench-one', fn: stamp });
  const chain = ws.workflow<BenchInput>({ name: 'bench-chain' });
  const a = chain.task({ name: 'a', fn: stamp });
  const b = chain.task({ name: 'b', parents: [a], fn: (input, ctx) => stamp(input, ctx) });
  chain.task({ name: 'c', parents: [b], fn: (input, ctx) => stamp(input, ctx) });
  const event = ws.task<BenchInput, StartStamp>({ name: 'bench-event', on: { event: EVENT_PATTERN }, fn: stamp });
  return { one, chain, event };
}
