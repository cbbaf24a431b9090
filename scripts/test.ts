// `npm test`: unit tests, integration tests on both queue transports (Redis and
// BullMQ's PostgreSQL backend), then Playwright e2e in Debian's Chromium.
// Pass a stage name to run only that one: npm test -- typecheck|lint|unit|int:redis|int:postgres|e2e
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { redisAnswers } from '../src/server/services/resolve-transport';
import { ensureNextBuild } from './stack/next-build';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => resolve(root, 'node_modules/.bin', name);

interface Stage {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

const stages: Stage[] = [
  { name: 'typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
  // Import cycles, layering (.oxlintrc.json) and formatting (Prettier).
  { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  { name: 'unit', command: bin('vitest'), args: ['run', '--project', 'unit'] },
  { name: 'int:redis', command: bin('vitest'), args: ['run', '--project', 'int'], env: { WHETSTONE_TEST_TRANSPORT: 'redis' } },
  { name: 'int:postgres', command: bin('vitest'), args: ['run', '--project', 'int'], env: { WHETSTONE_TEST_TRANSPORT: 'postgres' } },
  { name: 'e2e', command: bin('playwright'), args: ['test'] },
];

const only = process.argv.slice(2);
const selected = only.length ? stages.filter((s) => only.includes(s.name)) : stages;
if (!selected.length) {
  console.error(`Unknown stage ${only.join(' ')}; choose from ${stages.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

if (selected.some((s) => s.name === 'int:redis') && !(await redisAnswers(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'))) {
  console.error(
    '[test] The Redis integration stage needs Redis on 127.0.0.1:6379 (or REDIS_URL): apt-get install redis-server, or run `npm test -- unit int:postgres e2e`',
  );
  process.exit(1);
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (selected.some((s) => s.name === 'e2e') && !existsSync(chromium)) {
  console.error(
    `[test] The e2e stage needs Chromium at ${chromium}: apt-get install -y chromium (or set CHROMIUM_PATH), or run \`npm test -- typecheck unit int:redis int:postgres\``,
  );
  process.exit(1);
}
if (selected.some((s) => s.name.startsWith('int') || s.name === 'e2e')) ensureNextBuild(root, (line) => console.log(`[test] ${line}`));

const results: string[] = [];
let failed = false;
for (const stage of selected) {
  console.log(`\n[test] ── ${stage.name} ──`);
  const started = Date.now();
  const result = spawnSync(stage.command, stage.args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...stage.env },
  });
  const ok = result.status === 0;
  failed ||= !ok;
  results.push(`${ok ? 'passed' : 'FAILED'}  ${stage.name}  ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
console.log(`\n[test] summary\n${results.map((r) => `  ${r}`).join('\n')}`);
process.exit(failed ? 1 : 0);
