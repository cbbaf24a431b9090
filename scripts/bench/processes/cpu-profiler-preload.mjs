// Loaded with NODE_OPTIONS=--import=<this file> by `BENCH_CPU_PROF=dir npm run bench` (Node 20 does
// not allow --cpu-prof in NODE_OPTIONS): samples the process's CPU with the inspector and writes
// <dir>/<pid>-<script>.cpuprofile when it exits. Summarise with scripts/bench/cpu-profile.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, join } from 'node:path';

const dir = process.env.WHETSTONE_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.once('exit', () => {
    // An in-process inspector session answers synchronously, so this completes before exit.
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}-${basename(process.argv[1] ?? 'node')}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
