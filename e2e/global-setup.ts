import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { request } from '@playwright/test';
import { startTestStack } from '../tests/helpers/stack';
import { createUser } from '../tests/helpers/users';
import { ensureNextBuild } from '../scripts/stack/next-build';

const root = resolve(import.meta.dirname, '..');
/** Signed-in state of the project's owner; playwright.config.ts makes every spec start with it. */
export const OWNER_STORAGE_STATE = resolve(
  import.meta.dirname,
  `.auth/owner${process.env.WHETSTONE_NEXT_DIST_DIR ? `-${process.env.WHETSTONE_NEXT_DIST_DIR.replace(/[^\w-]/g, '')}` : ''}.json`,
);

/**
 * The real product with the demo worker on a scratch database, and an owner of
 * its project already signed in. Specs read E2E_BASE_URL (and E2E_OWNER_* to
 * sign in themselves).
 */
export default async function globalSetup() {
  ensureNextBuild(root, (line) => console.log(line));
  const stack = await startTestStack({ demoWorker: true });
  try {
    const trigger = spawnSync(resolve(root, 'node_modules/.bin/tsx'), ['examples/trigger.ts'], { cwd: root, env: stack.env, encoding: 'utf8' });
    if (trigger.status !== 0) throw new Error(`Demo runs failed:\n${trigger.stdout}\n${trigger.stderr}`);

    const owner = await createUser(stack.prisma, { email: 'owner@e2e.test', role: 'owner', projectId: stack.projectId });
    const api = await request.newContext({ baseURL: stack.url });
    try {
      const res = await api.post('/api/auth/login', { data: { email: owner.email, password: owner.password }, headers: { origin: stack.url } });
      if (!res.ok()) throw new Error(`Signing in the e2e owner failed: HTTP ${res.status()} ${await res.text()}`);
      mkdirSync(dirname(OWNER_STORAGE_STATE), { recursive: true });
      await api.storageState({ path: OWNER_STORAGE_STATE });
    } finally {
      await api.dispose();
    }
    process.env.E2E_OWNER_EMAIL = owner.email;
    process.env.E2E_OWNER_PASSWORD = owner.password;
  } catch (error) {
    await stack.stop();
    throw error;
  }
  process.env.E2E_BASE_URL = stack.url;
  process.env.E2E_API_KEY = stack.apiKey;
  process.env.E2E_TRANSPORT = stack.env.WHETSTONE_TRANSPORT;
  return async () => stack.stop();
}
