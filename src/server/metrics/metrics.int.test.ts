import { beforeAll, describe, expect, it } from 'vitest';
import { Prisma, type RunStatus } from '@/server/db/client';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { createCaller } from '@/server/router';
import { loadMetrics, metricsSeriesSql, queryMetricsSeries } from './query';
import { metricsWindow } from './range';

const db = useScratchDatabase('wstest');

// Runs with known creation times and durations; the SQL must bucket, count and take
// percentiles exactly as computed by hand below (percentile_cont interpolates).

const NOW = Date.UTC(2020, 0, 1, 12, 0, 30);
const at = (hh: number, mm: number, ss = 0) => new Date(Date.UTC(2020, 0, 1, hh, mm, ss));

let projectId = '';
let workflowA = '';
let workflowB = '';

async function run(opts: { projectId?: string; workflowId?: string; createdAt: Date; status: RunStatus; ms?: number }) {
  const workflowId = opts.workflowId ?? workflowA;
  const version = await db.prisma.workflowVersion.findFirstOrThrow({ where: { workflowId } });
  const startedAt = opts.ms === undefined ? null : new Date(opts.createdAt.getTime() + 1_000);
  const finishedAt = opts.ms === undefined || !startedAt ? null : new Date(startedAt.getTime() + opts.ms);
  const taskStatus = opts.status;
  await db.prisma.workflowRun.create({
    data: {
      projectId: opts.projectId ?? projectId,
      workflowId,
      workflowVersionId: version.id,
      status: opts.status,
      input: {},
      createdAt: opts.createdAt,
      startedAt,
      finishedAt,
      taskRuns: {
        create: [
          // The measured task mirrors its run, twice as slow; a skipped one is never counted.
          {
            taskName: 'step',
            parents: [],
            status: taskStatus,
            createdAt: opts.createdAt,
            startedAt,
            finishedAt: finishedAt && startedAt ? new Date(startedAt.getTime() + 2 * opts.ms!) : null,
          },
          { taskName: 'cleanup', parents: ['step'], status: 'SKIPPED', createdAt: opts.createdAt },
        ],
      },
    },
  });
}

async function workflow(projectId: string, name: string) {
  const wf = await db.prisma.workflow.create({ data: { projectId, name } });
  await db.prisma.workflowVersion.create({
    data: { workflowId: wf.id, version: 1, checksum: name, definition: { name, kind: 'workflow', tasks: [{ name: 'step', parents: [] }] } },
  });
  return wf.id;
}

beforeAll(async () => {
  const project = await db.prisma.project.create({ data: { name: 'Metrics', slug: 'metrics' } });
  const other = await db.prisma.project.create({ data: { name: 'Other', slug: 'other' } });
  projectId = project.id;
  workflowA = await workflow(project.id, 'alpha');
  workflowB = await workflow(project.id, 'beta');
  const foreign = await workflow(other.id, 'alpha');

  // 11:58 — four successes: 100, 200, 300, 400 ms
  for (const [i, ms] of [100, 200, 300, 400].entries()) await run({ createdAt: at(11, 58, i * 10), status: 'SUCCEEDED', ms });
  // 11:59 — a success (1 s), a failure (3 s), a cancellation (not a duration, not a failure)
  await run({ createdAt: at(11, 59, 5), status: 'SUCCEEDED', ms: 1_000 });
  await run({ createdAt: at(11, 59, 15), status: 'FAILED', ms: 3_000 });
  await run({ createdAt: at(11, 59, 25), status: 'CANCELLED', ms: 50 });
  // 12:00 — still going
  await run({ createdAt: at(12, 0, 1), status: 'RUNNING' });
  await run({ createdAt: at(12, 0, 2), status: 'QUEUED' });
  // Outside the hour; another workflow; another project
  await run({ createdAt: at(10, 50), status: 'FAILED', ms: 9_000 });
  await run({ workflowId: workflowB, createdAt: at(11, 58, 30), status: 'FAILED', ms: 5_000 });
  await run({ projectId: other.id, workflowId: foreign, createdAt: at(11, 59), status: 'FAILED', ms: 7_000 });
});

describe('metrics SQL', () => {
  it('buckets one workflow by minute over the last hour: counts, failures, p50/p95', async () => {
    const m = await loadMetrics(db.prisma, { projectId, workflowId: workflowA }, '1h', NOW);
    expect(m.bucketMs).toBe(60_000);
    expect(m.from.toISOString()).toBe('2020-01-01T11:00:00.000Z');
    expect(m.series).toHaveLength(61); // 11:00 … 12:00
    const point = (hh: number, mm: number) => m.series.find((p) => p.t === at(hh, mm).getTime())!;

    expect(point(11, 58)).toMatchObject({ runs: 4, succeeded: 4, failed: 0, failureRate: 0, p50Ms: 250, p95Ms: 385 });
    expect(point(11, 59)).toMatchObject({ runs: 3, succeeded: 1, failed: 1, cancelled: 1, failureRate: 0.5, p50Ms: 2_000, p95Ms: 2_900 });
    expect(point(12, 0)).toMatchObject({ runs: 2, succeeded: 0, failed: 0, failureRate: null, p50Ms: null, p95Ms: null });
    expect(point(11, 0)).toMatchObject({ runs: 0, failureRate: null, p50Ms: null });
    expect(m.series.reduce((n, p) => n + p.runs, 0)).toBe(9);

    // Percentiles of the whole hour, not of the buckets: [100, 200, 300, 400, 1000, 3000]
    expect(m.summary).toMatchObject({ runs: 9, succeeded: 5, failed: 1, cancelled: 1, p50Ms: 350, p95Ms: 2_500 });
    expect(m.summary.failureRate).toBeCloseTo(1 / 6);
    expect(m.breakdown.map((r) => r.name)).toEqual(['step']);
  });

  it('the whole project: every workflow, per-workflow breakdown, no other project', async () => {
    const m = await loadMetrics(db.prisma, { projectId }, '1h', NOW);
    expect(m.summary).toMatchObject({ runs: 10, failed: 2, succeeded: 5 });
    const minute = m.series.find((p) => p.t === at(11, 58).getTime())!;
    expect(minute).toMatchObject({ runs: 5, failed: 1, p50Ms: 300 });
    expect(minute.p95Ms).toBeCloseTo(4_080); // 400 + 0.8 × (5000 − 400)
    expect(m.breakdown.map((r) => [r.name, r.runs, r.failed])).toEqual([
      ['alpha', 9, 1],
      ['beta', 1, 1],
    ]);
    expect(m.breakdown[1]).toMatchObject({ failureRate: 1, p50Ms: 5_000, p95Ms: 5_000 });
  });

  it('one task: its own timings, skipped task runs left out', async () => {
    const m = await loadMetrics(db.prisma, { projectId, workflowId: workflowA, task: 'step' }, '1h', NOW);
    expect(m.summary).toMatchObject({ runs: 9, failed: 1, p50Ms: 700, p95Ms: 5_000 });
    const skipped = await loadMetrics(db.prisma, { projectId, workflowId: workflowA, task: 'cleanup' }, '1h', NOW);
    expect(skipped.summary).toMatchObject({ runs: 0, p50Ms: null });
  });

  it('bucket size follows the range: 15 min over 24 h, 2 h over 7 days', async () => {
    const day = await loadMetrics(db.prisma, { projectId, workflowId: workflowA }, '24h', NOW);
    expect(day.bucketMs).toBe(15 * 60_000);
    expect(day.series).toHaveLength(97);
    expect(day.series.find((p) => p.t === at(11, 45).getTime())).toMatchObject({ runs: 7, failed: 1, p50Ms: 350 });
    expect(day.series.find((p) => p.t === at(10, 45).getTime())).toMatchObject({ runs: 1, failed: 1, p50Ms: 9_000 });

    const week = await loadMetrics(db.prisma, { projectId, workflowId: workflowA }, '7d', NOW);
    expect(week.bucketMs).toBe(2 * 3600_000);
    expect(week.series).toHaveLength(85);
    expect(week.series.find((p) => p.t === at(10, 0).getTime())).toMatchObject({ runs: 8, failed: 2 });
  });

  it('is independent of the session time zone', async () => {
    const window = metricsWindow('1h', NOW);
    const rows = await db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL TIME ZONE 'America/Los_Angeles'`);
      return tx.$queryRaw<Array<{ bucket: Date; runs: number }>>(
        metricsSeriesSql({ projectId, workflowId: workflowA }, window.from, window.bucketMs),
      );
    });
    const direct = await queryMetricsSeries(db.prisma, { projectId, workflowId: workflowA }, window.from, window.bucketMs);
    expect(rows.map((r) => [r.bucket.toISOString(), r.runs])).toEqual(direct.map((r) => [r.bucket.toISOString(), r.runs]));
    expect(direct.map((r) => r.bucket.toISOString())).toEqual([
      '2020-01-01T11:58:00.000Z',
      '2020-01-01T11:59:00.000Z',
      '2020-01-01T12:00:00.000Z',
    ]);
  });

  it('reads WorkflowRun through its (projectId, …, createdAt) indexes, TaskRun through (workflowRunId, taskName)', async () => {
    const window = metricsWindow('24h', NOW);
    const plan = async (sql: Prisma.Sql) =>
      db.prisma.$transaction(async (tx) => {
        // The tables are tiny: make the planner show which index it would use on a big one.
        await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
        const rows = await tx.$queryRaw<Array<{ 'QUERY PLAN': string }>>(Prisma.sql`EXPLAIN ${sql}`);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    const project = await plan(metricsSeriesSql({ projectId }, window.from, window.bucketMs));
    expect(project).toMatch(/Index (Only )?Scan using "WorkflowRun_projectId_(workflowId_)?createdAt_idx"/);
    expect(project).not.toMatch(/Seq Scan/);
    const workflow = await plan(metricsSeriesSql({ projectId, workflowId: workflowA }, window.from, window.bucketMs));
    expect(workflow).toMatch(/Index (Only )?Scan using "WorkflowRun_projectId_workflowId_createdAt_idx"/);
    expect(workflow).toMatch(/Index Cond: .*"workflowId" = .*"createdAt" >= /);
    const task = await plan(metricsSeriesSql({ projectId, workflowId: workflowA, task: 'step' }, window.from, window.bucketMs));
    expect(task).toMatch(/"WorkflowRun_projectId_workflowId_createdAt_idx"/);
    expect(task).toMatch(/"TaskRun_workflowRunId_taskName_key"/);
    expect(task).not.toMatch(/Seq Scan/);
  });
});

describe('metrics.overview', () => {
  it("serves a member the project's numbers over the real clock, and an unknown workflow matches nothing", async () => {
    const user = await db.prisma.user.create({ data: { email: 'metrics-viewer@example.com', passwordHash: 'x' } });
    await db.prisma.projectMember.create({ data: { projectId, userId: user.id, role: 'VIEWER' } });
    await run({ createdAt: new Date(Date.now() - 5 * 60_000), status: 'FAILED', ms: 10 });
    const caller = createCaller({ db: db.prisma, user: { id: user.id, email: user.email, name: null } });

    const all = await caller.metrics.overview({ project: 'metrics', range: '1h' });
    expect(all.summary).toMatchObject({ runs: 1, failed: 1, failureRate: 1 });
    expect(all.workflows).toEqual(['alpha', 'beta']);

    const one = await caller.metrics.overview({ project: 'metrics', range: '1h', workflow: 'alpha' });
    expect(one).toMatchObject({ workflow: 'alpha', tasks: ['step'], unknownWorkflow: false });
    expect(one.breakdown).toMatchObject([{ name: 'step', runs: 1, failed: 1 }]);

    const unknown = await caller.metrics.overview({ project: 'metrics', range: '7d', workflow: 'nope' });
    expect(unknown).toMatchObject({ unknownWorkflow: true, workflow: null, summary: { runs: 0 } });
  });
});
