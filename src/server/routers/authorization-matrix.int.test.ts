import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Access } from '../auth/roles';
import { hashPassword } from '../auth/password';
import { type Role } from '../db';
import { usePrivateQueuePrefix } from '../testing/queue-prefix';
import { useScratchDatabase } from '../testing/scratch-database';
import type { Context, Meta } from '../trpc';
import { appRouter, createCaller } from './_app';

const db = useScratchDatabase('wstest');
// Samples that trigger or cancel runs touch queues: under a prefix of this file's own, deleted after.
usePrivateQueuePrefix('wsmatrix');

// Every tRPC procedure × {anonymous, viewer, editor, owner, member of another project}.
// The list of procedures comes from the router itself: a procedure missing from
// INTENDED fails the test, so a new one cannot be forgotten.

/** The access each procedure is meant to have. Changing one is a security decision: review it. */
const INTENDED: Record<string, Access> = {
  'system.info': 'viewer',
  'system.me': 'authenticated',
  'projects.list': 'authenticated',
  'projects.create': 'authenticated',
  'runs.list': 'viewer',
  'runs.get': 'viewer',
  'runs.cancel': 'editor',
  'runs.replay': 'editor',
  'runs.bulkReplay': 'editor',
  'runs.bulkCancel': 'editor',
  'members.list': 'viewer',
  'members.add': 'owner',
  'members.setRole': 'owner',
  'members.remove': 'owner',
  'apiKeys.list': 'owner',
  'apiKeys.create': 'owner',
  'apiKeys.revoke': 'owner',
  // runs list (bulk actions) ↑ runs.*; events page
  'events.list': 'viewer',
  'events.get': 'viewer',
  'events.replay': 'editor',
  'events.bulkReplay': 'editor',
  // workflows page
  'workflows.list': 'viewer',
  'workflows.get': 'viewer',
  'workflows.trigger': 'editor',
  // workers page
  'workers.list': 'viewer',
  // schedules page
  'schedules.list': 'viewer',
  'schedules.createCron': 'editor',
  'schedules.createOneOff': 'editor',
  'schedules.delete': 'editor',
  // metrics page
  'metrics.overview': 'viewer',
  // usage
  'usage.forRun': 'viewer',
  'usage.byWorkflow': 'viewer',
};

interface Fixture {
  alphaRunId: string;
  betaRunId: string;
  alphaKeyId: string;
  betaKeyId: string;
  viewerId: string;
  outsiderId: string;
}

/** A valid input for each project-scoped procedure in project 'alpha' (ids belong to alpha). */
const SAMPLE: Record<string, (f: Fixture) => Record<string, unknown>> = {
  'system.info': () => ({ project: 'alpha' }),
  'runs.list': () => ({ project: 'alpha' }),
  'runs.get': (f) => ({ project: 'alpha', id: f.alphaRunId }),
  'runs.cancel': (f) => ({ project: 'alpha', id: f.alphaRunId }),
  'runs.replay': (f) => ({ project: 'alpha', id: f.alphaRunId }),
  'runs.bulkReplay': (f) => ({ project: 'alpha', ids: [f.alphaRunId] }),
  'runs.bulkCancel': (f) => ({ project: 'alpha', ids: [f.alphaRunId] }),
  'members.list': () => ({ project: 'alpha' }),
  'members.add': () => ({ project: 'alpha', email: 'newcomer@example.com', role: 'VIEWER' }),
  'members.setRole': (f) => ({ project: 'alpha', userId: f.viewerId, role: 'VIEWER' }),
  'members.remove': (f) => ({ project: 'alpha', userId: f.viewerId }),
  'apiKeys.list': () => ({ project: 'alpha' }),
  'apiKeys.create': () => ({ project: 'alpha', name: 'matrix' }),
  'apiKeys.revoke': (f) => ({ project: 'alpha', id: f.alphaKeyId }),
  'events.list': () => ({ project: 'alpha', key: 'matrix:', keyMatch: 'prefix' }),
  'events.get': () => ({ project: 'alpha', id: matrixEvents.alpha }),
  'events.replay': () => ({ project: 'alpha', id: matrixEvents.alpha }),
  'events.bulkReplay': () => ({ project: 'alpha', ids: [matrixEvents.alpha] }),
  'workflows.list': () => ({ project: 'alpha' }),
  'workflows.get': () => ({ project: 'alpha', name: 'wf' }),
  'workflows.trigger': () => ({ project: 'alpha', name: 'wf', input: {} }),
  'workers.list': () => ({ project: 'alpha' }),
  'schedules.list': () => ({ project: 'alpha' }),
  // Past the tier these are refused by the schedule rules (400), so the matrix arms nothing on a real queue.
  'schedules.createCron': () => ({ project: 'alpha', workflow: 'wf', name: 'matrix', expression: '61 * * * *' }),
  'schedules.createOneOff': () => ({ project: 'alpha', workflow: 'wf', delaySeconds: -1 }),
  // Deleting a schedule that does not exist (or is another project's) answers { deleted: false }.
  'schedules.delete': (f) => ({ project: 'alpha', id: f.alphaRunId }),
  'metrics.overview': () => ({ project: 'alpha', range: '24h' }),
  'usage.forRun': (f) => ({ project: 'alpha', runId: f.alphaRunId }),
  'usage.byWorkflow': () => ({ project: 'alpha', from: new Date(Date.now() - 86_400_000) }),
};

/** Inputs naming beta's objects while acting in alpha: must be "not found" even for alpha's owner. */
const FOREIGN_ID: Record<string, (f: Fixture) => Record<string, unknown>> = {
  'runs.get': (f) => ({ project: 'alpha', id: f.betaRunId }),
  'runs.cancel': (f) => ({ project: 'alpha', id: f.betaRunId }),
  'runs.replay': (f) => ({ project: 'alpha', id: f.betaRunId }),
  'runs.bulkReplay': (f) => ({ project: 'alpha', ids: [f.alphaRunId, f.betaRunId] }),
  'runs.bulkCancel': (f) => ({ project: 'alpha', ids: [f.alphaRunId, f.betaRunId] }),
  'apiKeys.revoke': (f) => ({ project: 'alpha', id: f.betaKeyId }),
  'members.setRole': (f) => ({ project: 'alpha', userId: f.outsiderId, role: 'EDITOR' }),
  'members.remove': (f) => ({ project: 'alpha', userId: f.outsiderId }),
  'events.get': () => ({ project: 'alpha', id: matrixEvents.beta }),
  'events.replay': () => ({ project: 'alpha', id: matrixEvents.beta }),
  'events.bulkReplay': () => ({ project: 'alpha', ids: [matrixEvents.alpha, matrixEvents.beta] }),
  'usage.forRun': (f) => ({ project: 'alpha', runId: f.betaRunId }),
};

type Principal = 'anonymous' | 'viewer' | 'editor' | 'owner' | 'outsider';
const PRINCIPALS: Principal[] = ['anonymous', 'viewer', 'editor', 'owner', 'outsider'];

function procedures(): Array<{ path: string; meta: Meta | undefined; type: string }> {
  const out: Array<{ path: string; meta: Meta | undefined; type: string }> = [];
  const walk = (record: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(record)) {
      const def = (value as { _def?: { procedure?: boolean; meta?: Meta; type?: string; record?: Record<string, unknown> } })._def;
      if (def?.procedure) out.push({ path: `${prefix}${key}`, meta: def.meta, type: def.type ?? '?' });
      else if (def?.record) walk(def.record, `${prefix}${key}.`);
      else if (value && typeof value === 'object') walk(value as Record<string, unknown>, `${prefix}${key}.`);
    }
  };
  walk(appRouter._def.record as Record<string, unknown>, '');
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** What `principal` must get from a procedure with `access`: allowed, or the error code of the denial. */
function expected(access: Access, principal: Principal): 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' {
  if (access === 'public') return 'allowed';
  if (principal === 'anonymous') return 'UNAUTHORIZED';
  if (access === 'authenticated') return 'allowed';
  if (principal === 'outsider') return 'NOT_FOUND';
  const rank = { viewer: 1, editor: 2, owner: 3 };
  return rank[principal] >= rank[access] ? 'allowed' : 'FORBIDDEN';
}

let fixture: Fixture;
const users: Partial<Record<Principal, Context['user']>> = { anonymous: null };

async function seed(): Promise<Fixture> {
  const passwordHash = await hashPassword('matrix-test-password');
  const alpha = await db.prisma.project.create({ data: { name: 'Alpha', slug: 'alpha' } });
  const beta = await db.prisma.project.create({ data: { name: 'Beta', slug: 'beta' } });
  const member = async (who: Principal, projectId: string, role: Role) => {
    const user = await db.prisma.user.create({ data: { email: `${who}@example.com`, passwordHash } });
    await db.prisma.projectMember.create({ data: { projectId, userId: user.id, role } });
    users[who] = { id: user.id, email: user.email, name: null };
    return user.id;
  };
  const viewerId = await member('viewer', alpha.id, 'VIEWER');
  await member('editor', alpha.id, 'EDITOR');
  await member('owner', alpha.id, 'OWNER');
  const outsiderId = await member('outsider', beta.id, 'OWNER');
  await db.prisma.user.create({ data: { email: 'newcomer@example.com', passwordHash } });
  const run = async (projectId: string) => {
    const workflow = await db.prisma.workflow.create({ data: { projectId, name: 'wf' } });
    const version = await db.prisma.workflowVersion.create({
      data: { workflowId: workflow.id, version: 1, checksum: 'x', definition: { name: 'wf', kind: 'workflow', tasks: [{ name: 't', parents: [] }] } },
    });
    const created = await db.prisma.workflowRun.create({
      data: { projectId, workflowId: workflow.id, workflowVersionId: version.id, input: {}, taskRuns: { create: [{ taskName: 't', parents: [] }] } },
    });
    return created.id;
  };
  const key = async (projectId: string) =>
    (await db.prisma.apiKey.create({ data: { projectId, name: 'k', prefix: 'ws_x', hash: `${projectId}-hash` } })).id;
  return { alphaRunId: await run(alpha.id), betaRunId: await run(beta.id), alphaKeyId: await key(alpha.id), betaKeyId: await key(beta.id), viewerId, outsiderId };
}

async function call(principal: Principal, path: string, input: unknown): Promise<'allowed' | string> {
  const caller = createCaller({ db: db.prisma, user: users[principal] ?? null });
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (i: unknown) => Promise<unknown>;
  try {
    await fn(input);
    return 'allowed';
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    // Only the tiers' denials count as "denied"; a validation error means the call got through.
    return ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'].includes(error.code) ? error.code : 'allowed';
  }
}

beforeAll(async () => {
  fixture = await seed();
});

describe('authorization matrix (generated from the router)', () => {
  it('lists every procedure with its intended access, and the tier agrees', () => {
    const found = procedures();
    expect(found.length).toBeGreaterThan(0);
    for (const { path, meta } of found) {
      expect(INTENDED[path], `add '${path}' to INTENDED in this test with its access`).toBeDefined();
      expect(meta?.access, `'${path}' is built on a tier with access ${meta?.access}, intended ${INTENDED[path]}`).toBe(INTENDED[path]);
      if (INTENDED[path] !== 'public' && INTENDED[path] !== 'authenticated') {
        expect(SAMPLE[path], `add a sample input for '${path}' to SAMPLE`).toBeDefined();
      }
    }
    expect(Object.keys(INTENDED).sort()).toEqual(found.map((p) => p.path));
  });

  // Mutations change the fixture (a revoked key, a removed member): run them last, owner last.
  it('allows and denies every procedure for every principal as intended', async () => {
    const rows: string[] = [];
    const weight = (p: { path: string; type: string }) => (p.type !== 'mutation' ? 0 : /\.(remove|revoke)$/.test(p.path) ? 2 : 1);
    const ordered = procedures().sort((a, b) => weight(a) - weight(b));
    for (const { path } of ordered) {
      const access = INTENDED[path]!;
      const input = SAMPLE[path]?.(fixture) ?? (path === 'projects.create' ? { name: 'Matrix project' } : undefined);
      for (const principal of PRINCIPALS) {
        const got = await call(principal, path, input);
        rows.push(`${path.padEnd(18)} ${principal.padEnd(9)} ${got}`);
        expect(got, `${path} as ${principal}`).toBe(expected(access, principal));
      }
    }
    expect(rows.length).toBe(procedures().length * PRINCIPALS.length);
  });

  it("an id from another project is 'not found', even for the acting project's owner", async () => {
    for (const [path, input] of Object.entries(FOREIGN_ID)) {
      expect(await call('owner', path, input(fixture)), path).toBe('NOT_FOUND');
    }
    const key = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: fixture.betaKeyId } });
    expect(key.revokedAt).toBeNull();
    expect(await db.prisma.projectMember.count({ where: { userId: fixture.outsiderId, project: { slug: 'beta' } } })).toBe(1);
  });
});

// events page: one event per project for the events.* samples (runs after seed(): hooks run in order).
const matrixEvents = { alpha: '', beta: '' };
beforeAll(async () => {
  for (const slug of ['alpha', 'beta'] as const) {
    const project = await db.prisma.project.findUniqueOrThrow({ where: { slug } });
    matrixEvents[slug] = (await db.prisma.event.create({ data: { projectId: project.id, key: `matrix:${slug}`, payload: {} } })).id;
  }
});
