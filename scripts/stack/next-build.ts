import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'packages/sdk/dist', 'prisma/schema.prisma', 'next.config.mjs', 'package-lock.json'];

/** Runs `next build` when there is no build or a source file is newer than it. */
export function ensureNextBuild(root: string, log: (line: string) => void): void {
  const buildId = join(root, process.env.WHETSTONE_NEXT_DIST_DIR || '.next', 'BUILD_ID');
  if (existsSync(buildId)) {
    const builtAt = statSync(buildId).mtimeMs;
    if (!SOURCES.some((s) => newestMtime(join(root, s)) > builtAt)) return;
  }
  log('Building the dashboard (next build)…');
  const started = Date.now();
  const result = spawnSync(join(root, 'node_modules/.bin/next'), ['build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('next build failed (see the output above)');
  log(`Dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'generated' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}
