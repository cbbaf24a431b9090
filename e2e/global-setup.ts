import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { request } from '@playwright/test';
import { demoSourceFiles, startFakeGitHub } from '../tests/helpers/github-server';
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
  // A fake GitHub holding the demo worker's sources at the paths its call sites are recorded with.
  const github = await startFakeGitHub({
    token: E2E_GITHUB.token,
    owner: E2E_GITHUB.owner,
    repo: E2E_GITHUB.repo,
    files: demoSourceFiles(root),
  });
  const stack = await startTestStack({ demoWorker: true, env: { WHETSTONE_GITHUB_API_URL: github.url } }).catch(async (error: unknown) => {
    await github.close();
    throw error;
  });
  try {
    const trigger = spawnSync(resolve(root, 'node_modules/.bin/tsx'), ['examples/trigger.ts'], {
      cwd: root,
      env: stack.env,
      encoding: 'utf8',
    });
    if (trigger.status !== 0) throw new Error(`Demo runs failed:\n${trigger.stdout}\n${trigger.stderr}`);

    const owner = await createUser(stack.prisma, { email: 'owner@e2e.test', role: 'owner', projectId: stack.projectId });
    const api = await request.newContext({ baseURL: stack.url });
    try {
      const res = await api.post('/api/auth/login', {
        data: { email: owner.email, password: owner.password },
        headers: { origin: stack.url },
      });
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
    await github.close();
    throw error;
  }
  process.env.E2E_GITHUB_URL = github.url;
  process.env.E2E_GITHUB_TOKEN = E2E_GITHUB.token;
  process.env.E2E_GITHUB_OWNER = E2E_GITHUB.owner;
  process.env.E2E_GITHUB_REPO = E2E_GITHUB.repo;
  process.env.E2E_BASE_URL = stack.url;
  process.env.E2E_API_KEY = stack.apiKey;
  process.env.E2E_TRANSPORT = stack.env.WHETSTONE_TRANSPORT;
  return async () => {
    await stack.stop();
    await github.close();
  };
}

/** The fake GitHub the stack's server talks to (GET <E2E_GITHUB_URL>/_fake/state shows its branches and pull requests). */
const E2E_GITHUB = { token: 'github_pat_e2e_0000000000000000000000', owner: 'whetstone-e2e', repo: 'demo' };
