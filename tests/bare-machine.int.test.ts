import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` on a machine with nothing but Node: run it in a fresh network
// namespace, where neither 127.0.0.1:5432 nor :6379 answers. It must start an
// embedded PostgreSQL from npm, put the queues on BullMQ's Postgres backend,
// complete the demo runs, and stop cleanly on Ctrl-C.
const root = resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'whetstone-bare-'));
chmodSync(dataDir, 0o755); // as root, the embedded server runs as user "postgres"
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a machine with only Node', () => {
  it('npm start runs everything on an embedded PostgreSQL and Ctrl-C stops it in order', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, WHETSTONE_DATA_DIR: dataDir };
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'WHETSTONE_TRANSPORT', 'PORT']) delete env[name];
    const child = spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec node_modules/.bin/tsx scripts/start.ts'], {
      cwd: root,
      env,
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', done));

    const deadline = Date.now() + 90_000;
    while (!output.includes('Whetstone is running') && child.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output).toContain('Whetstone is running');
    expect(output).toMatch(/PostgreSQL: postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/whetstone \(embedded\)/);
    expect(output).toContain('Queues: BullMQ PostgreSQL backend');
    expect(output).toContain('[demo] 7 demo runs completed');
    expect(existsSync(join(dataDir, 'pgdata/postmaster.pid'))).toBe(true);

    process.kill(-child.pid!, 'SIGINT'); // what a terminal's Ctrl-C does: the whole foreground group
    expect(await exited).toBe(0);
    expect(output).toContain('Stopping');
    expect(output).not.toMatch(/Unhandled 'error'|exited unexpectedly|terminating connection/);
    expect(existsSync(join(dataDir, 'pgdata/postmaster.pid'))).toBe(false);
  }, 150_000);
});
