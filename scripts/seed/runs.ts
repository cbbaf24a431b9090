// `npm run seed:runs -- [count] [--url postgresql://…] [--days 30] [--reset]`
// Fills a database with `count` (default 1,000,000) realistic runs of a few workflows spread over
// the last `days` days, for the runs-list benchmark (`npm run bench:runs-list`) and for trying the
// dashboard at scale. Default target: database "whetstone_seed" on the server the app would use.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ensureDefaultProject } from '../../src/server/bootstrap/project';
import { createPrisma } from '../../src/server/db/client';
import { databaseNameOf, dropDatabase, ensureDatabase } from '../../src/server/db/pg-admin';
import { migrateDatabase } from '../../src/server/db/migrations';
import { INSERT_RUNS_SQL } from './runs-sql';
import { resolveSeedTarget, SEED_DATABASE } from './target';
import { CATEGORIES, FILLER, ISSUES, PRODUCTS, REPLY_ACTIONS, REPLY_OPENERS } from './vocabulary';
import { ensureSeedWorkflows, SEED_WORKFLOWS } from './workflows';

const BATCH = 50_000;
const log = (line: string) => console.log(`[seed] ${line}`);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, days: { type: 'string', default: '30' }, reset: { type: 'boolean', default: false } },
});
const count = Number((positionals[0] ?? '1000000').replace(/[_,]/g, ''));
const days = Number(values.days);
if (!Number.isInteger(count) || count <= 0) throw new Error(`count must be a positive integer, not ${positionals[0]}`);
if (!(days > 0)) throw new Error(`--days must be positive, not ${values.days}`);

const target = await resolveSeedTarget(values.url, log);
try {
  if (values.reset) {
    if (!target.isDefault) throw new Error(`--reset only drops the seed's own database "${SEED_DATABASE}", not one given with --url`);
    log(`Dropping and recreating "${SEED_DATABASE}"`);
    await dropDatabase(target.serverUrl, SEED_DATABASE);
    await ensureDatabase(target.serverUrl, SEED_DATABASE);
  }
  const { applied } = await migrateDatabase(target.url);
  if (applied.length) log(`Applied ${applied.length} migration(s)`);
  const prisma = createPrisma(target.url);
  const project = await ensureDefaultProject(prisma).finally(() => prisma.$disconnect());

  const pool = new pg.Pool({ connectionString: target.url, max: 1 });
  const client = await pool.connect();
  try {
    await client.query(`SET TimeZone = 'UTC'`); // createdAt columns are UTC timestamps without a zone
    const workflows = await ensureSeedWorkflows(client, project.id);
    const shares = SEED_WORKFLOWS.map((_, i) => SEED_WORKFLOWS.slice(0, i + 1).reduce((s, w) => s + w.share, 0));
    shares[shares.length - 1] = 1.01; // rounding: the last workflow takes the rest
    const spanSeconds = days * 86_400;
    const first = new Date(Date.now() - spanSeconds * 1000);
    const started = Date.now();
    for (let lo = 1; lo <= count; lo += BATCH) {
      const hi = Math.min(count, lo + BATCH - 1);
      await client.query(INSERT_RUNS_SQL, [
        project.id,
        workflows.map((w) => w.workflowId),
        workflows.map((w) => w.versionId),
        workflows.map((w) => w.task),
        shares,
        lo,
        hi,
        count,
        first,
        spanSeconds,
        FILLER,
        PRODUCTS,
        ISSUES,
        CATEGORIES,
        REPLY_OPENERS,
        REPLY_ACTIONS,
      ]);
      const elapsed = (Date.now() - started) / 1000;
      log(
        `${hi.toLocaleString('en')} / ${count.toLocaleString('en')} runs (${elapsed.toFixed(0)} s, ~${Math.round(((count - hi) * elapsed) / hi)} s left)`,
      );
    }
    log('VACUUM ANALYZE (statistics for the planner, visibility map for index-only scans)…');
    await client.query('VACUUM ANALYZE "WorkflowRun"');
    await client.query('VACUUM ANALYZE "TaskRun"');
    const {
      rows: [total],
    } = await client.query<{ n: string }>('SELECT count(*) AS n FROM "WorkflowRun" WHERE "projectId" = $1', [project.id]);
    log(
      `Done in ${((Date.now() - started) / 1000).toFixed(0)} s: project '${project.slug}' has ${Number(total!.n).toLocaleString('en')} runs.`,
    );
  } finally {
    client.release();
    await pool.end();
  }
  console.log(`\nDATABASE_URL=${target.url}\n`);
  console.log(`Benchmark:   npm run bench:runs-list${target.isDefault ? '' : ` -- --url '${target.url}'`}`);
  console.log(`Dashboard:   DATABASE_URL='${target.url}' npm run user:create -- you@example.com --role editor`);
  console.log(`             DATABASE_URL='${target.url}' npm start`);
  if (databaseNameOf(target.url) === SEED_DATABASE) console.log(`Start over:  npm run seed:runs -- ${count} --reset`);
} finally {
  await target.stop();
}
