import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startTestStack } from '../tests/helpers/stack';
import { ensureNextBuild } from '../scripts/stack/next-build';

const root = resolve(import.meta.dirname, '..');

/** The real product with the demo worker on a scratch database; specs read E2E_BASE_URL. */
export default async function globalSetup() {
  ensureNextBuild(root, (line) => console.log(line));
  const stack = await startTestStack({ demoWorker: true });
  const trigger = spawnSync(resolve(root, 'node_modules/.bin/tsx'), ['examples/trigger.ts'], { cwd: root, env: stack.env, encoding: 'utf8' });
  if (trigger.status !== 0) {
    await stack.stop();
    throw new Error(`Demo runs failed:\n${trigger.stdout}\n${trigger.stderr}`);
  }
  process.env.E2E_BASE_URL = stack.url;
  process.env.E2E_API_KEY = stack.apiKey;
  process.env.E2E_TRANSPORT = stack.env.WHETSTONE_TRANSPORT;
  return async () => stack.stop();
}
