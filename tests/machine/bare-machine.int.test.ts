import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

// `npm start` on a machine with nothing but Node: run it in a fresh network
// namespace, where neither 127.0.0.1:5432 nor :6379 answers. It must start an
// embedded PostgreSQL from npm, put the queues on BullMQ's Postgres backend,
// complete the demo runs, and stop cleanly on Ctrl-C.
const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'whetstone-bare-'));
chmodSync(dataDir, 0o755); // as root, the embedded server runs as user "postgres"
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const launched: number[] = [];
// A test that failed half-way must not leave its stack running into the next one: every process
// started with this file's data folder in its environment (detached ones outlive their parent).
afterEach(() => {
  launched.splice(0);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`WHETSTONE_DATA_DIR=${dataDir}`))
        process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone, or not ours to read
    }
  }
});

/** `npm start` in a network namespace where nothing answers on 5432 or 6379, in its own process group. */
function startBare(command: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, WHETSTONE_DATA_DIR: dataDir };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'WHETSTONE_TRANSPORT', 'PORT']) delete env[name];
  const child = spawn('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec ${command}`], { cwd: root, env, detached: true });
  launched.push(child.pid!);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  return { child, exited, output: () => output };
}

async function untilRunning(started: ReturnType<typeof startBare>): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!started.output().includes('Whetstone is running') && started.child.exitCode === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(started.output()).toContain('Whetstone is running');
}

/** Every process descending from `pid` (by parent pid, so detached process groups too). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited while listing
    }
  }
  const found: number[] = [];
  const walk = (p: number) => (parents.get(p) ?? []).forEach((c) => (found.push(c), walk(c)));
  walk(pid);
  return found;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

describe('a machine with only Node', () => {
  it('npm start runs everything on an embedded PostgreSQL and Ctrl-C stops it in order', async () => {
    const started = startBare('node --import tsx scripts/start.ts');
    await untilRunning(started);
    const output = started.output;
    expect(output()).toMatch(/PostgreSQL: postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/whetstone \(embedded\)/);
    expect(output()).toContain('Queues: BullMQ PostgreSQL backend');
    expect(output()).toContain('[demo] 7 demo runs completed');
    expect(existsSync(join(dataDir, 'pgdata/postmaster.pid'))).toBe(true);

    process.kill(-started.child.pid!, 'SIGINT'); // what a terminal's Ctrl-C does: the whole foreground group
    expect(await started.exited).toBe(0);
    expect(output()).toContain('Stopping');
    expect(output()).not.toMatch(/Unhandled 'error'|exited unexpectedly|terminating connection/);
    expect(existsSync(join(dataDir, 'pgdata/postmaster.pid'))).toBe(false);
  }, 150_000);

  it('SIGTERM to the process group of `npm start` stops web, engine, worker and PostgreSQL', async () => {
    const started = startBare('npm start');
    await untilRunning(started);
    const processes = descendants(started.child.pid!);
    const commands = processes.map((pid) =>
      existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ') : '',
    );
    expect(commands.join('\n')).toMatch(/next-server|next start/);
    expect(commands.join('\n')).toMatch(/bin\/postgres /);

    process.kill(-started.child.pid!, 'SIGTERM'); // what `kill -TERM -<pgid>` (a supervisor, `timeout`) sends
    const deadline = Date.now() + 30_000;
    while (processes.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const left = processes.filter(alive).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    expect(left, started.output().split('\n').slice(-30).join('\n')).toEqual([]);
    expect(existsSync(join(dataDir, 'pgdata/postmaster.pid'))).toBe(false);
  }, 150_000);

  it('SIGTERM while the stack is still starting stops what was started', async () => {
    const started = startBare('npm start');
    // The web server is up, the engine and the demo worker are still starting.
    const deadline = Date.now() + 90_000;
    let processes: number[] = [];
    const commandsOf = (pids: number[]) =>
      pids.map((pid) => (existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ') : ''));
    while (
      Date.now() < deadline &&
      !commandsOf((processes = descendants(started.child.pid!))).some((c) => /next-server|next start/.test(c))
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(started.output()).not.toContain('Whetstone is running');
    expect(commandsOf(processes).join('\n')).toMatch(/bin\/postgres /);

    process.kill(-started.child.pid!, 'SIGTERM');
    const stopDeadline = Date.now() + 30_000;
    while (Date.now() < stopDeadline && descendants(started.child.pid!).concat(processes).some(alive))
      await new Promise((r) => setTimeout(r, 250));
    const left = commandsOf(processes.filter(alive));
    expect(left, started.output().split('\n').slice(-30).join('\n')).toEqual([]);
    expect(existsSync(join(dataDir, 'pgdata/postmaster.pid'))).toBe(false);
  }, 150_000);
});
