import { posix } from 'node:path';
import { badRequest } from '@/server/errors';

/**
 * The path prefix as stored: '' (the repository root) or 'a/b' — forward slashes, no leading or
 * trailing slash, no '.' or '..' segments.
 */
export function normalizePathPrefix(prefix: string): string {
  const trimmed = prefix
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+|\/+$/g, '');
  if (!trimmed) return '';
  const segments = trimmed.split('/').filter(Boolean);
  if (segments.some((s) => s === '.' || s === '..')) throw badRequest(`Path prefix '${prefix}' may not contain '.' or '..' segments`);
  return segments.join('/');
}

/**
 * A recorded call-site file (relative to the worker's source root) as a clean relative path.
 * The SDK keeps an absolute path for a file outside the source root: that cannot be found again.
 */
export function sourceRelativePath(file: string, variable: string): string {
  const slashed = file.replace(/\\/g, '/');
  if (posix.isAbsolute(slashed) || /^[a-zA-Z]:\//.test(slashed)) {
    throw badRequest(
      `Variable '${variable}' was recorded in '${file}', outside the worker's source root: start the worker with WHETSTONE_SOURCE_ROOT set to the repository's checkout`,
    );
  }
  const normalized = posix.normalize(slashed);
  if (normalized === '..' || normalized.startsWith('../') || normalized === '.') {
    throw badRequest(`Variable '${variable}' was recorded in '${file}', which is not a file under the worker's source root`);
  }
  return normalized;
}

/** Where a source-root-relative file is in the repository. */
export function repositoryPath(pathPrefix: string, file: string): string {
  return pathPrefix ? `${pathPrefix}/${file}` : file;
}

const slug = (text: string, max: number) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '') || 'x';

/**
 * `whetstone/<workflow>-<task>-<short id>`: the short id is the end of the variant's id (uuid v7
 * ids of one batch share their leading, time-based characters, never their random tail).
 */
export function branchName(workflow: string, task: string, variantId: string): string {
  const short = variantId.replace(/-/g, '').slice(-8).toLowerCase();
  return `whetstone/${slug(workflow, 40)}-${slug(task, 40)}-${short}`;
}
