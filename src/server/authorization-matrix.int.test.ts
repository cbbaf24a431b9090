import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '@/server/auth/roles';
import { hashPassword } from '@/server/auth/password';
import { type Role } from '@/server/db/client';
import { usePrivateQueuePrefix } from '@/server/testing/queue-prefix';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import type { Context, Meta } from '@/server/trpc';
import { appRouter, createCaller } from '@/server/router';

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
  'runs.bulkReplayByFilter': 'editor',
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
  // playground
  'playground.task': 'viewer',
  'playground.run': 'editor',
  'playground.batch': 'viewer',
  'playground.history': 'viewer',
  // what-if reports
  'whatIf.start': 'editor',
  'whatIf.get': 'viewer',
  'whatIf.list': 'viewer',
  'whatIf.cancel': 'editor',
  // settings → repository; "Open pull request" on a playground variant
  'repository.get': 'viewer',
  'repository.save': 'owner',
  'repository.disconnect': 'owner',
  'repository.test': 'editor',
  'pullRequests.preview': 'editor',
  'pullRequests.open': 'editor',
  'pullRequests.patch': 'editor',
  'pullRequests.forRun': 'viewer',
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
  // Past the tier this is refused: more runs match than the 0 confirmed (409), so nothing is queued.
  // No FOREIGN_ID row: a filter names no ids, and its workflow name resolves in the acting project only.
  'runs.bulkReplayByFilter': () => ({ project: 'alpha', filter: { workflow: 'wf' }, confirmCount: 0 }),
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
  'playground.task': (f) => ({ project: 'alpha', runId: f.alphaRunId, task: 't' }),
  // Past the tier this is refused: task 't' exposes no variable 'nope' (400), so nothing is queued.
  'playground.run': (f) => ({ project: 'alpha', runId: f.alphaRunId, task: 't', mode: 'STEP', variants: [{ overrides: { nope: 1 } }] }),
  'playground.batch': () => ({ project: 'alpha', batchId: matrixBatch.alpha }),
  'playground.history': (f) => ({ project: 'alpha', runId: f.alphaRunId, task: 't' }),
  // Past the tier this answers { started: false, warnings } ('nope' is not a variable of 't'): nothing is queued.
  'whatIf.start': (f) => ({
    project: 'alpha',
    runId: f.alphaRunId,
    task: 't',
    mode: 'STEP',
    overrides: { nope: 1 },
    sources: { runIds: [f.alphaRunId] },
  }),
  'whatIf.get': () => ({ project: 'alpha', id: matrixReport.alpha }),
  'whatIf.list': () => ({ project: 'alpha' }),
  'whatIf.cancel': () => ({ project: 'alpha', id: matrixReport.alpha }),
  'repository.get': () => ({ project: 'alpha' }),
  // Past the tier this is refused (an owner name with a space: 400), so no connection is saved and
  // repository.test answers "no repository connected" without reaching out to GitHub.
  'repository.save': () => ({ project: 'alpha', owner: 'not an owner', repo: 'r', token: 'github_pat_matrix' }),
  'repository.disconnect': () => ({ project: 'alpha' }),
  'repository.test': () => ({ project: 'alpha' }),
  // Past the tier these are refused: the variant's task never ran (412), so nothing reaches GitHub.
  'pullRequests.preview': () => ({ project: 'alpha', playgroundRunId: matrixVariant.alpha }),
  'pullRequests.open': () => ({ project: 'alpha', playgroundRunId: matrixVariant.alpha, mode: 'new' }),
  'pullRequests.patch': () => ({ project: 'alpha', playgroundRunId: matrixVariant.alpha }),
  'pullRequests.forRun': (f) => ({ project: 'alpha', runId: f.alphaRunId }),
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
  'playground.task': (f) => ({ project: 'alpha', runId: f.betaRunId, task: 't' }),
  'playground.run': (f) => ({ project: 'alpha', runId: f.betaRunId, task: 't', mode: 'STEP', variants: [{ overrides: {} }] }),
  'playground.batch': () => ({ project: 'alpha', batchId: matrixBatch.beta }),
  'whatIf.start': (f) => ({
    project: 'alpha',
    runId: f.betaRunId,
    task: 't',
    mode: 'STEP',
    overrides: {},
    sources: { runIds: [f.betaRunId] },
  }),
  'whatIf.get': () => ({ project: 'alpha', id: matrixReport.beta }),
  'whatIf.cancel': () => ({ project: 'alpha', id: matrixReport.beta }),
  'pullRequests.preview': () => ({ project: 'alpha', playgroundRunId: matrixVariant.beta }),
  'pullRequests.open': () => ({ project: 'alpha', playgroundRunId: matrixVariant.beta, mode: 'new' }),
  'pullRequests.patch': () => ({ project: 'alpha', playgroundRunId: matrixVariant.beta }),
  'pullRequests.forRun': (f) => ({ project: 'alpha', runId: f.betaRunId }),
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
      data: {
        workflowId: workflow.id,
        version: 1,
        checksum: 'x',
        definition: { name: 'wf', kind: 'workflow', tasks: [{ name: 't', parents: [] }] },
      },
    });
    const created = await db.prisma.workflowRun.create({
      data: {
        projectId,
        workflowId: workflow.id,
        workflowVersionId: version.id,
        input: {},
        taskRuns: { create: [{ taskName: 't', parents: [] }] },
      },
    });
    return created.id;
  };
  const key = async (projectId: string) =>
    (await db.prisma.apiKey.create({ data: { projectId, name: 'k', prefix: 'ws_x', hash: `${projectId}-hash` } })).id;
  return {
    alphaRunId: await run(alpha.id),
    betaRunId: await run(beta.id),
    alphaKeyId: await key(alpha.id),
    betaKeyId: await key(beta.id),
    viewerId,
    outsiderId,
  };
}

async function call(principal: Principal, path: string, input: unknown): Promise<'allowed' | string> {
  const caller = createCaller({ db: db.prisma, user: users[principal] ?? null });
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    i: unknown,
  ) => Promise<unknown>;
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

// playground.batch: one batch per project, a playground run of the fixture's run.
const matrixBatch = { alpha: '', beta: '' };
beforeAll(async () => {
  for (const [slug, sourceRunId] of [
    ['alpha', fixture.alphaRunId],
    ['beta', fixture.betaRunId],
  ] as const) {
    const source = await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: sourceRunId } });
    const run = await db.prisma.workflowRun.create({
      data: {
        projectId: source.projectId,
        workflowId: source.workflowId,
        workflowVersionId: source.workflowVersionId,
        input: {},
        triggerSource: 'PLAYGROUND',
      },
    });
    matrixBatch[slug] = crypto.randomUUID();
    await db.prisma.playgroundRun.create({
      data: {
        projectId: source.projectId,
        sourceRunId,
        taskName: 't',
        mode: 'STEP',
        batchId: matrixBatch[slug],
        variant: 0,
        runId: run.id,
        overrides: {},
      },
    });
  }
});

// pullRequests.*: the variant (PlaygroundRun) of each project's matrix batch.
const matrixVariant = { alpha: '', beta: '' };
beforeAll(async () => {
  for (const slug of ['alpha', 'beta'] as const) {
    matrixVariant[slug] = (await db.prisma.playgroundRun.findFirstOrThrow({ where: { batchId: matrixBatch[slug] } })).id;
  }
});

// whatIf.get/cancel: one (empty) report per project.
const matrixReport = { alpha: '', beta: '' };
beforeAll(async () => {
  for (const slug of ['alpha', 'beta'] as const) {
    const project = await db.prisma.project.findUniqueOrThrow({ where: { slug } });
    const workflow = await db.prisma.workflow.findFirstOrThrow({ where: { projectId: project.id } });
    matrixReport[slug] = (
      await db.prisma.whatIfReport.create({
        data: { projectId: project.id, workflowId: workflow.id, taskName: 't', mode: 'STEP', overrides: {} },
      })
    ).id;
  }
});
