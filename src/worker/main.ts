// Entry point of the engine process: this folder (src/worker) is the engine, not an SDK worker.
// Its "workers" are BullMQ Workers: they consume the reports SDK workers (the user's processes,
// packages/sdk) put on each project's `engine-events` queue, plus its schedules and durable
// wakes, and advance runs in Postgres. The stack launcher (npm start, tests, benchmarks) runs it
// compiled: scripts/stack/engine-bundle.ts.
import { isTransientConnectionError } from './connection-errors';
import { startEngine } from './engine';

process.on('uncaughtException', (err) => {
  if (isTransientConnectionError(err)) {
    console.error(`[engine] connection lost (${(err as Error).message}); carrying on, the next query reconnects`);
    return;
  }
  console.error('[engine] fatal:', err);
  process.exit(1);
});

const engine = await startEngine();
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    void engine.stop().finally(() => process.exit(0));
  });
}
