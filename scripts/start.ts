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
import { settings, type Settings } from '../src/server/env';
import { resolveTransport } from '../src/server/services/resolve-transport';
import { demoApiKey } from './stack/demo-key';
import { launchStack } from './stack/launch';
import { launchPostgres, type LaunchedPostgres } from './stack/postgres';
import { ensureNextBuild } from './stack/next-build';

const root = resolve(import.meta.dirname, '..');
const dev = process.argv.includes('--dev');
const log = (line: string) => console.log(`[whetstone] ${line}`);
/** The server's variables (src/server/env.ts), checked before anything starts; DATABASE_URL may be unset (resolved below). */
const config: Settings = (() => {
  try {
    return settings();
  } catch (error) {
    console.error(`[whetstone] ${(error as Error).message}`);
    process.exit(1);
  }
})();
/** Embedded PostgreSQL data and the demo API key live here (git-ignored). */
const dataDir = resolve(config.WHETSTONE_DATA_DIR ?? join(root, '.whetstone'));

// Listening from the first line: a Ctrl-C or SIGTERM while PostgreSQL, the build or the stack is
// still starting stops what was started (those processes run in their own process groups, so
// nothing else would stop them).
const stopping = new AbortController();
const stops: Array<() => Promise<void>> = [];
let stopped: Promise<never> | undefined;
function shutdown(): Promise<never> {
  stopped ??= (async () => {
    log('Stopping…');
    stopping.abort(new Error('stopped'));
    while (stops.length) await stops.pop()!().catch(() => {});
    process.exit(0);
  })();
  return stopped;
}
// `npm start` runs this with tsx as a loader (`node --import tsx`), not tsx's CLI, whose parent
// process relays signals and SIGKILLs a child slow to acknowledge one (a busy machine): this
// process would die before stopping what it started. `on`, not `once`: a second Ctrl-C must not
// kill it half-way through stopping either.
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

async function main() {
  const started = Date.now();
  const postgres = await launchPostgres(root, join(dataDir, 'pgdata'), log, stopping.signal);
  stops.push(() => postgres.stop());
  await run(postgres, started);
}

async function run(postgres: LaunchedPostgres, started: number) {
  log(`PostgreSQL: ${redactUrl(postgres.url)} (${postgres.source})`);
  const { applied } = await migrateDatabase(postgres.url);
  log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  const transport = await resolveTransport();
  log(
    transport.kind === 'redis'
      ? `Queues: Redis at ${redactUrl(transport.url)}`
      : 'Queues: BullMQ PostgreSQL backend (no Redis found; set REDIS_URL for speed)',
  );

  const prisma = createPrisma(postgres.url);
  const project = await ensureDefaultProject(prisma);
  const owner = await ensureFirstOwner(prisma, project.id, join(dataDir, 'owner-credentials.json'));
  if (owner.email && 'created' in owner && owner.created)
    log(`Created the first owner ${owner.email} (password saved in ${join(dataDir, 'owner-credentials.json')})`);
  const apiKey = await demoApiKey(prisma, project.id, join(dataDir, 'demo-api-key'));
  await prisma.$disconnect();

  if (!dev) ensureNextBuild(root, log);
  stopping.signal.throwIfAborted();
  const launching = launchStack({
    root,
    databaseUrl: postgres.url,
    transport,
    queuePrefix: config.WHETSTONE_QUEUE_PREFIX,
    apiKey,
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
    nextMode: dev ? 'dev' : 'start',
    demoWorker: true,
    echo: true,
    signal: stopping.signal,
  });
  // Stopped half-way, a launch stops its own processes before it rejects: wait for that.
  stops.push(() =>
    launching.then(
      (stack) => stack.stop(),
      () => {},
    ),
  );
  const stack = await launching;

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
      if (!stopping.signal.aborted) {
        log(`${proc.name} exited unexpectedly (code ${code}); stopping`);
        void shutdown();
      }
    });
  }
}

main().catch(async (err) => {
  if (stopped) return; // shutdown() is stopping what was started, then exits
  console.error(`[whetstone] ${(err as Error).message}`);
  while (stops.length) await stops.pop()!().catch(() => {});
  process.exit(1);
});
