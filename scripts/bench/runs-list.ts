// `npm run bench:runs-list -- [--url postgresql://…] [--word walrus] [--reps 20] [--explain]`
// Server time of the dashboard's runs list on a big project (fill one with `npm run seed:runs`):
// the `runs.list` tRPC procedure called in process (auth tier + filter + page + status counts),
// median and p95 of --reps calls after a warm-up. --explain prints EXPLAIN ANALYZE of each case's
// page and count queries. Default database: whetstone_seed, as seed:runs uses.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DEFAULT_PROJECT_SLUG } from '../../src/server/bootstrap/project';
import { createPrisma, Prisma, type PrismaClient } from '../../src/server/db/client';
import { createCaller } from '../../src/server/router';
import { countsSql, pageSql, resolveFilter, runListInput, type RunListInput } from '../../src/server/runs/list-query';
import { resolveSeedTarget } from '../seed/target';
import { summarize, table } from './lib/stats';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    project: { type: 'string', default: DEFAULT_PROJECT_SLUG },
    word: { type: 'string', default: 'walrus' },
    customer: { type: 'string', default: 'c42' },
    reps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    explain: { type: 'boolean', default: false },
  },
});
const reps = Number(values.reps);
const warmup = Number(values.warmup);
const log = (line: string) => console.log(`[bench:runs-list] ${line}`);

type Filter = Omit<RunListInput, 'limit'>;
/** Placeholder cursor: replaced by the first page's nextCursor before the case runs. */
const NEXT_PAGE = 'next-page';
const CASES: Array<{ name: string; goalMs: number; filter: Filter }> = [
  { name: 'first page + counts', goalMs: 150, filter: {} },
  { name: `metadata customerId=${values.customer}`, goalMs: 300, filter: { meta: { customerId: values.customer! } } },
  { name: `text search "${values.word}"`, goalMs: 500, filter: { q: values.word } },
  {
    name: `combined (workflow, 7d, plan=pro, "${values.word}")`,
    goalMs: 500,
    filter: { workflow: 'support-reply', since: '7d', meta: { plan: 'pro' }, q: values.word },
  },
  { name: 'status FAILED', goalMs: 150, filter: { status: 'FAILED' } },
  { name: 'page 2 (cursor, no counts)', goalMs: 150, filter: { cursor: NEXT_PAGE } },
];

/** A member of the project to call the procedure as (it cannot sign in: its hash is no password). */
async function benchUser(prisma: PrismaClient, projectId: string) {
  const user = await prisma.user.upsert({
    where: { email: 'bench-runs-list@whetstone.invalid' },
    create: { email: 'bench-runs-list@whetstone.invalid', passwordHash: '!' },
    update: {},
  });
  await prisma.projectMember.upsert({
    where: { projectId_userId: { projectId, userId: user.id } },
    create: { projectId, userId: user.id, role: 'VIEWER' },
    update: {},
  });
  return { id: user.id, email: user.email, name: null };
}

async function explain(prisma: PrismaClient, projectId: string, filter: Filter): Promise<void> {
  if (filter.cursor) return console.log('  (see the first page)');
  const input = runListInput.parse(filter);
  const resolved = await resolveFilter(prisma, projectId, input, new Date());
  if (!resolved) return console.log('  (workflow not found)');
  for (const [label, sql] of [
    ['page', pageSql(resolved, null, input.limit + 1)],
    ['counts', countsSql(resolved)],
  ] as const) {
    const plan = await prisma.$queryRaw<Array<{ 'QUERY PLAN': string }>>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
    console.log(`  -- ${label}\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
  }
}

const target = await resolveSeedTarget(values.url, log);
const prisma = createPrisma(target.url);
try {
  const project = await prisma.project.findUnique({ where: { slug: values.project }, select: { id: true } });
  if (!project) throw new Error(`No project '${values.project}' in ${target.url}: run npm run seed:runs first`);
  const runs = await prisma.$queryRaw<
    Array<{ n: number }>
  >`SELECT count(*)::int AS n FROM "WorkflowRun" WHERE "projectId" = ${project.id}::uuid`;
  log(`${runs[0]!.n.toLocaleString('en')} runs in project '${values.project}' (${target.url.replace(/:[^:@/]+@/, ':***@')})`);
  const caller = createCaller({ db: prisma, user: await benchUser(prisma, project.id) });

  const rows: Array<Array<string | number>> = [];
  let failures = 0;
  for (const c of CASES) {
    const input = { project: values.project!, ...c.filter };
    if (input.cursor === NEXT_PAGE) input.cursor = (await caller.runs.list({ project: values.project! })).nextCursor;
    let last: Awaited<ReturnType<typeof caller.runs.list>> | undefined;
    for (let i = 0; i < warmup; i++) last = await caller.runs.list(input);
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const started = performance.now();
      last = await caller.runs.list(input);
      times.push(performance.now() - started);
    }
    const s = summarize(times);
    const ok = s.p50 <= c.goalMs;
    if (!ok) failures++;
    const counted = last && !c.filter.cursor ? last.total + (last.capped.length ? '+' : '') : '-';
    rows.push([c.name, last?.items.length ?? 0, counted, s.p50, s.p95, s.max, `≤${c.goalMs}`, ok ? 'ok' : 'SLOW']);
    if (values.explain) {
      console.log(`\n== ${c.name}`);
      await explain(prisma, project.id, c.filter);
    }
  }
  console.log(`\nruns.list server time (ms), ${reps} calls after ${warmup} warm-up, page of 50 + counts per status (capped at 10,000):\n`);
  console.log(table(['case', 'rows', 'matching', 'p50', 'p95', 'max', 'goal p50', ''], rows));
  process.exitCode = failures ? 1 : 0;
} finally {
  await prisma.$disconnect();
  await target.stop();
}
