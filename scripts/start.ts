// `npm start`: the whole product on this machine. Finds (or starts) PostgreSQL,
// migrates it, picks the queue transport, then runs web + engine + a demo
// worker, triggers demo runs and prints where to look. Ctrl-C stops it all.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createPrisma } from '../src/server/db/client';
import { ensureFirstOwner } from '../src/server/bootstrap/owner';
import { ensureDefaultProject } from '../src/server/bootstrap/project';
import { migrateDatabase } from '../src/server/db/migrations';
import { redactUrl } from '../src/server/db/pg-admin';
import { resolveTransport } from '../src/server/services/resolve-transport';
import { demoApiKey } from './stack/demo-key';
import { launchStack } from './stack/launch';
import { launchPostgres, type LaunchedPostgres } from './stack/postgres';
import { ensureNextBuild } from './stack/next-build';

const root = resolve(import.meta.dirname, '..');
const dev = process.argv.includes('--dev');
const log = (line: string) => console.log(`[whetstone] ${line}`);
/** Embedded PostgreSQL data and the demo API key live here (git-ignored). */
const dataDir = resolve(process.env.WHETSTONE_DATA_DIR ?? join(root, '.whetstone'));

async function main() {
  const started = Date.now();
  const postgres = await launchPostgres(root, join(dataDir, 'pgdata'), log);
  try {
    await run(postgres, started);
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}

async function run(postgres: LaunchedPostgres, started: number) {
  log(`PostgreSQL: ${redactUrl(postgres.url)} (${postgres.source})`);
  const { applied } = await migrateDatabase(postgres.url);
  log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  const transport = await resolveTransport();
  log(transport.kind === 'redis' ? `Queues: Redis at ${redactUrl(transport.url)}` : 'Queues: BullMQ PostgreSQL backend (no Redis found; set REDIS_URL for speed)');

  const prisma = createPrisma(postgres.url);
  const project = await ensureDefaultProject(prisma);
  const owner = await ensureFirstOwner(prisma, project.id, join(dataDir, 'owner-credentials.json'));
  if (owner.email && 'created' in owner && owner.created) log(`Created the first owner ${owner.email} (password saved in ${join(dataDir, 'owner-credentials.json')})`);
  const apiKey = await demoApiKey(prisma, project.id, join(dataDir, 'demo-api-key'));
  await prisma.$disconnect();

  if (!dev) ensureNextBuild(root, log);
  const stack = await launchStack({
    root,
    databaseUrl: postgres.url,
    transport,
    queuePrefix: process.env.WHETSTONE_QUEUE_PREFIX ?? 'whetstone',
    apiKey,
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
    nextMode: dev ? 'dev' : 'start',
    demoWorker: true,
    echo: true,
  });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log('Stopping…');
    await stack.stop();
    await postgres.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const trigger = spawn(join(root, 'node_modules/.bin/tsx'), ['examples/trigger.ts'], { cwd: root, env: stack.env, stdio: 'inherit' });
  await new Promise((done) => trigger.once('exit', done));

  console.log(`
  Whetstone is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

    Dashboard   ${stack.url}
    ${owner.email ? `Sign in     ${owner.email} / ${owner.password}` : 'Sign in     with your account (new password: npm run user:password -- <email>)'}
    API key     ${apiKey}
    Queues      ${transport.kind === 'redis' ? 'Redis' : 'PostgreSQL (BullMQ backend)'}

  Run your own worker against it:
    WHETSTONE_API_URL=${stack.url} WHETSTONE_API_KEY=${apiKey} npx tsx your-worker.ts

  Ctrl-C stops everything.
`);
  for (const proc of stack.processes) {
    void proc.exited.then((code) => {
      if (!stopping) {
        log(`${proc.name} exited unexpectedly (code ${code}); stopping`);
        void shutdown();
      }
    });
  }
}

main().catch((err) => {
  console.error(`[whetstone] ${(err as Error).message}`);
  process.exit(1);
});
