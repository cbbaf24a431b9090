import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { createApiKey } from '../../src/server/auth/api-keys';
import { startTestStack, type TestStack } from '../helpers/stack';

// Every REST route the SDK uses × {no key, revoked key, another project's key,
// the project's own key}. Routes are read from src/app/api/v1 on disk: a new
// route without a sample here fails the test.
const API_DIR = resolve(import.meta.dirname, '../../src/app/api/v1');

interface Fixture {
  workerId: string;
  runId: string;
  workflow: string;
  eventId: string;
  scheduleId: string;
  cronName: string;
}
type Sample = (f: Fixture) => { path: string; body?: unknown };

const SAMPLES: Record<string, Sample> = {
  'POST /workers': () => ({ path: '/workers', body: { name: 'matrix', workflows: [{ name: 'matrix-wf', tasks: [{ name: 't' }] }] } }),
  'POST /workers/[id]/heartbeat': (f) => ({ path: `/workers/${f.workerId}/heartbeat`, body: {} }),
  'POST /workers/[id]/stop': (f) => ({ path: `/workers/${f.workerId}/stop`, body: {} }),
  'POST /workflows/[name]/runs': (f) => ({ path: `/workflows/${f.workflow}/runs`, body: { input: {} } }),
  'POST /workflows/[name]/runs/bulk': (f) => ({
    path: `/workflows/${f.workflow}/runs/bulk`,
    body: { runs: [{ input: {} }, { input: {} }] },
  }),
  'GET /runs/[id]': (f) => ({ path: `/runs/${f.runId}` }),
  'POST /runs/[id]/cancel': (f) => ({ path: `/runs/${f.runId}/cancel`, body: {} }),
  'POST /runs/[id]/replay': (f) => ({ path: `/runs/${f.runId}/replay`, body: {} }),
  'POST /events': () => ({ path: '/events', body: { key: 'matrix:ping', payload: {} } }),
  'GET /events': () => ({ path: '/events?key=matrix:ping' }),
  'POST /ratelimits': () => ({ path: '/ratelimits', body: { key: 'matrix', limit: 1 } }),
  'GET /ratelimits': () => ({ path: '/ratelimits' }),
  'GET /events/[id]': (f) => ({ path: `/events/${f.eventId}` }),
  'POST /events/[id]/replay': (f) => ({ path: `/events/${f.eventId}/replay`, body: {} }),
  'POST /workflows/[name]/crons': (f) => ({
    path: `/workflows/${f.workflow}/crons`,
    body: { name: 'matrix-posted', expression: '0 0 1 1 *' },
  }),
  'GET /workflows/[name]/crons': (f) => ({ path: `/workflows/${f.workflow}/crons` }),
  'DELETE /workflows/[name]/crons/[cronName]': (f) => ({ path: `/workflows/${f.workflow}/crons/${f.cronName}` }),
  'POST /workflows/[name]/schedules': (f) => ({ path: `/workflows/${f.workflow}/schedules`, body: { delaySeconds: 3600 } }),
  'GET /workflows/[name]/schedules': (f) => ({ path: `/workflows/${f.workflow}/schedules` }),
  'DELETE /schedules/[id]': (f) => ({ path: `/schedules/${f.scheduleId}` }),
  'GET /schedules': () => ({ path: '/schedules' }),
};

/**
 * Registering and pushing events create things in the caller's own project, and listing events
 * lists the caller's own project's (as does listing schedules), so another project's key is allowed there.
 */
// Another project's key acts on its own project: its rate limits, events and schedules.
const OWN_PROJECT_ONLY = new Set(['POST /workers', 'POST /events', 'GET /events', 'GET /schedules', 'POST /ratelimits', 'GET /ratelimits']);

function routesOnDisk(dir = API_DIR): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...routesOnDisk(path));
    else if (entry === 'route.ts') {
      const route = `/${relative(API_DIR, dir)}`;
      for (const [, method] of readFileSync(path, 'utf8').matchAll(/\bas (GET|POST|PUT|PATCH|DELETE)\b/g)) found.push(`${method} ${route}`);
    }
  }
  return found.sort();
}

let stack: TestStack;
let worker: WhetstoneWorker;
let fixture: Fixture;
const keys: Record<'none' | 'revoked' | 'otherProject' | 'own', string | null> = {
  none: null,
  revoked: null,
  otherProject: null,
  own: null,
};

beforeAll(async () => {
  stack = await startTestStack();
  keys.own = stack.apiKey;
  const revoked = await createApiKey(stack.prisma, stack.projectId, 'revoked');
  await stack.prisma.apiKey.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
  keys.revoked = revoked.key;
  const other = await stack.prisma.project.create({ data: { name: 'Other', slug: 'other' } });
  keys.otherProject = (await createApiKey(stack.prisma, other.id, 'other')).key;

  const wf = stack.ws.workflow({ name: 'rest-matrix' });
  wf.task({ name: 'noop', fn: () => 'ok' });
  worker = stack.ws.worker('rest-matrix', { workflows: [wf], handleSignals: false });
  await worker.start();
  const ref = await wf.runNoWait({});
  await ref.result();
  const event = await stack.prisma.event.create({
    data: { projectId: stack.projectId, key: 'matrix:ping', payload: {}, processedAt: new Date() },
  });
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${stack.url}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { id: string };
  };
  await post('/workflows/rest-matrix/crons', { name: 'matrix-cron', expression: '0 0 1 1 *' });
  const schedule = await post('/workflows/rest-matrix/schedules', { delaySeconds: 3600 });
  fixture = {
    workerId: worker.id!,
    runId: ref.runId,
    workflow: 'rest-matrix',
    eventId: event.id,
    scheduleId: schedule.id,
    cronName: 'matrix-cron',
  };
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

async function request(route: string, key: string | null): Promise<number> {
  const [method] = route.split(' ');
  const { path, body } = SAMPLES[route]!(fixture);
  const response = await fetch(`${stack.url}/api/v1${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  await response.arrayBuffer();
  return response.status;
}

describe('REST authorization matrix (routes read from disk)', () => {
  it('has a sample for every route', () => {
    const routes = routesOnDisk();
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) expect(SAMPLES[route], `add a sample for '${route}'`).toBeDefined();
  });

  it('refuses missing and revoked keys, hides other projects, serves the own project', async () => {
    // The stop route is last: it marks the fixture's worker stopped.
    const routes = routesOnDisk().sort((a, b) => Number(a.endsWith('/stop')) - Number(b.endsWith('/stop')));
    for (const route of routes) {
      expect(await request(route, keys.none), `${route} without a key`).toBe(401);
      expect(await request(route, keys.revoked), `${route} with a revoked key`).toBe(401);
      expect(await request(route, keys.otherProject), `${route} with another project's key`).toBe(OWN_PROJECT_ONLY.has(route) ? 200 : 404);
      expect(await request(route, keys.own), `${route} with the project's key`).toBe(200);
    }
  });
});
