// "Download patch" without a GitHub connection: the server reads the worker's source from its own
// disk, which works when it runs beside the code (the demo, a single-machine install).
import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { settings } from '@/server/env';
import { badRequest, notFound, precondition } from '@/server/errors';

/**
 * The root recorded call sites are relative to: WHETSTONE_SOURCE_ROOT (as the SDK reads it), else
 * the nearest ancestor of the working directory holding `.git`.
 */
export function localSourceRoot(environment: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  const configured = settings(environment).WHETSTONE_SOURCE_ROOT;
  // turbopackIgnore: these paths are only known at run time; without it Next traces the whole project into the build.
  if (configured) return resolve(/*turbopackIgnore: true*/ configured);
  for (let dir = resolve(/*turbopackIgnore: true*/ cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw precondition(
    `The server cannot find the workers' source: it is not inside a git checkout and WHETSTONE_SOURCE_ROOT is not set. Set WHETSTONE_SOURCE_ROOT on the server, or connect a GitHub repository`,
  );
}

/** Reads `file` (relative to `root`); a path that leads outside the root, even through a symlink, is refused. */
export async function readLocalSource(root: string, file: string): Promise<string> {
  const target = resolve(/*turbopackIgnore: true*/ root, file);
  if (!isInside(root, target)) throw badRequest(`'${file}' is outside the server's source root`);
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    throw notFound(
      `File '${file}' not found under the server's source root ${root}: "Download patch" reads the source the server runs beside; set WHETSTONE_SOURCE_ROOT to the workers' checkout, or connect a GitHub repository`,
    );
  }
  if (!isInside(await realpath(root), real)) throw badRequest(`'${file}' is outside the server's source root (it is a link to ${real})`);
  return readFile(real, 'utf8');
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
