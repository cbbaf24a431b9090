// `npm run fuzz`: the bad inputs of issue 18 and a generated set (fast-check, fixed seed) sent to
// every REST route and tRPC mutation of a fresh local stack; fails on any 5xx or on a refused
// request that stored something. See docs/reliability.md (Fuzzing).
//
//   FUZZ_SEED=N   fast-check seed (default 18)
//   FUZZ_RUNS=N   generated inputs per route and per mutation (default 8)
//   WHETSTONE_TEST_TRANSPORT=redis|postgres   the queue transport (default redis when it answers)
import { resolve } from 'node:path';
import { ensureNextBuild } from '../stack/next-build';
import { groupFindings } from './fuzz';
import { fuzzFreshStack } from './stack';

const root = resolve(import.meta.dirname, '../..');
const intEnv = (name: string, fallback: number) => {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not ${raw}`);
  return n;
};

ensureNextBuild(root, (line) => console.log(line));
const started = Date.now();
const report = await fuzzFreshStack({ seed: intEnv('FUZZ_SEED', 18), runs: intEnv('FUZZ_RUNS', 8), log: (l) => console.log(l) });
for (const line of groupFindings(report.findings)) console.log(`  ${line}`);
console.log(`[fuzz] ${report.summary} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(report.findings.length === 0 ? 0 : 1);
