// Entry point of the engine process: `tsx src/worker/main.ts` (npm start runs it for you).
import { startEngine } from './engine';

const engine = await startEngine();
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    void engine.stop().finally(() => process.exit(0));
  });
}
