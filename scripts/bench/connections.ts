// `npx tsx scripts/bench/connections.ts`: who holds the PostgreSQL connections of a stack on the
// Postgres transport. Starts web + 1 engine (scratch database) and one bench worker process
// (scripts/bench/processes/worker-process.ts), runs a burst of 1-task runs, and samples pg_stat_activity every
// 250 ms, attributing each connection to a process by its client port (`ss -tnp`), and showing the
// application_name it carries. Prints the peak per process during the burst and the count once idle.
//
//   BENCH_CONN_RUNS=N        1-task runs in the burst (default 300)
//   BENCH_INFLIGHT=N         trigger requests in flight (default 64)
//   BENCH_CONN_IDLE_MS=N     how long to wait before the idle count (default 6000)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { captureOutput } from '../chaos/procs';
import { ensureNextBuild } from '../stack/next-build';
import { startTestStack, type TestStack } from '../../tests/helpers/stack';
import { defineBenchWorkflows } from './lib/bench-workflows';
import { startWorkerProcess } from './lib/bench-processes';
import { closedLoopThroughput } from './lib/phases';
import { processTree } from './lib/proc';

const root = resolve(import.meta.dirname, '../..');
const runs = Number(process.env.BENCH_CONN_RUNS ?? 300);
const inflight = Number(process.env.BENCH_INFLIGHT ?? 64);
const idleMs = Number(process.env.BENCH_CONN_IDLE_MS ?? 6000);
const log = (line: string) => console.log(`[connections] ${line}`);

interface Row {
  pid: number;
  port: number | null;
  app: string;
  state: string | null;
}

/** Local TCP port → pid of every socket connected to the Postgres port (`ss -tnp`). */
function portOwners(pgPort: number): Map<number, number> {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `dport = :${pgPort}`], { encoding: 'utf8' });
  const owners = new Map<number, number>();
  for (const line of out.split('\n')) {
    const local = line.trim().split(/\s+/)[2];
    const pid = /pid=(\d+)/.exec(line)?.[1];
    const port = local?.split(':').pop();
    if (port && pid) owners.set(Number(port), Number(pid));
  }
  return owners;
}

type Census = Map<string, { total: number; apps: Map<string, number> }>;

async function census(stack: TestStack, groups: Record<string, () => number[]>): Promise<Census> {
  const url = new URL(stack.env.DATABASE_URL!);
  const rows = await stack.prisma.$queryRaw<Row[]>`
    SELECT pid, client_port AS port, application_name AS app, state FROM pg_stat_activity
    WHERE datname = ${url.pathname.slice(1)} AND pid <> pg_backend_pid()`;
  const owners = portOwners(Number(url.port || 5432));
  const roleOfPid = new Map<number, string>();
  for (const [role, pids] of Object.entries(groups)) for (const pid of pids()) roleOfPid.set(pid, role);
  const result: Census = new Map();
  for (const row of rows) {
    const pid = row.port ? owners.get(row.port) : undefined;
    const role = pid ? (roleOfPid.get(pid) ?? `pid ${pid}`) : 'unknown';
    const entry = result.get(role) ?? { total: 0, apps: new Map() };
    entry.total++;
    const app = row.app || '(no application_name)';
    entry.apps.set(app, (entry.apps.get(app) ?? 0) + 1);
    result.set(role, entry);
  }
  return result;
}

function describe(c: Census): string {
  const lines: string[] = [];
  let sum = 0;
  for (const [role, { total, apps }] of [...c].sort()) {
    sum += total;
    const byApp = [...apps].sort((a, b) => b[1] - a[1]).map(([app, n]) => `${n}× ${app}`);
    lines.push(
      `  ${role.padEnd(24)} ${String(total).padStart(3)}   ${byApp.slice(0, 8).join(', ')}${byApp.length > 8 ? `, … (${byApp.length} names)` : ''}`,
    );
  }
  lines.push(`  ${'all'.padEnd(24)} ${String(sum).padStart(3)}`);
  return lines.join('\n');
}

process.env.WHETSTONE_TEST_TRANSPORT = 'postgres';
ensureNextBuild(root, log);
const stack = await startTestStack();
const dir = mkdtempSync(join(tmpdir(), 'whetstone-connections-'));
for (const p of stack.processes) captureOutput(dir, p);
const execLog = join(dir, 'exec.log');
writeFileSync(execLog, '');
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
try {
  const wf = defineBenchWorkflows(stack.ws);
  worker = await startWorkerProcess(stack, { root, execLog });
  captureOutput(dir, worker);
  const byName = (name: string) => () =>
    stack.processes.filter((p) => p.name === name && p.child.exitCode === null).flatMap((p) => processTree(p.child.pid!));
  const groups: Record<string, () => number[]> = {
    web: byName('web'),
    engine: byName('engine'),
    'sdk worker': () => processTree(worker!.child.pid!),
    'this script (bench)': () => [process.pid],
  };
  log('warm-up…');
  await closedLoopThroughput(stack.prisma, wf.one, { runs: 30, inflight: 8, timeoutMs: 120_000 });
  await new Promise((r) => setTimeout(r, 500));
  log(`after warm-up:\n${describe(await census(stack, groups))}`);

  const peaks = new Map<string, number>();
  let peakAll = 0;
  let peakCensus: Census | undefined;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const c = await census(stack, groups).catch(() => undefined);
      if (c) {
        let all = 0;
        for (const [role, { total }] of c) {
          peaks.set(role, Math.max(peaks.get(role) ?? 0, total));
          all += total;
        }
        if (all > peakAll) [peakAll, peakCensus] = [all, c];
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  log(`burst: ${runs} 1-task runs, ${inflight} triggers in flight…`);
  const result = await closedLoopThroughput(stack.prisma, wf.one, { runs, inflight, timeoutMs: 240_000 });
  sampling = false;
  await sampler;
  log(`${result.runsPerSecond} runs/s, statuses ${JSON.stringify(result.statuses)}`);
  log(`peak per process during the burst: ${[...peaks].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  log(`busiest sample (${peakAll} connections):\n${peakCensus ? describe(peakCensus) : '  (none)'}`);
  await new Promise((r) => setTimeout(r, idleMs));
  log(`idle ${idleMs / 1000} s later:\n${describe(await census(stack, groups))}`);
  log(`process logs: ${dir}`);
} finally {
  await worker?.stop().catch(() => undefined);
  await stack.stop();
}
process.exit(0);
