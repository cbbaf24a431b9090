import { describe, expect, it } from 'vitest';
import { branchName, normalizePathPrefix, repositoryPath, sourceRelativePath } from './paths';

describe('pull request paths', () => {
  it('branch: whetstone/<workflow>-<task>-<end of the variant id>, slugified', () => {
    expect(branchName('Support Reply', 'draft_v2', '019a7b3c-1111-7000-8000-00000c0ffee1')).toBe(
      'whetstone/support-reply-draft-v2-0c0ffee1',
    );
    expect(branchName('émoji ✨', '***', '019a7b3c-1111-7000-8000-00000c0ffee1')).toBe('whetstone/moji-x-0c0ffee1');
    // Two variants of one batch (same millisecond, same uuid v7 prefix) get different branches.
    expect(branchName('w', 't', '019a7b3c-1111-7000-8000-aaaaaaaaaaaa')).not.toBe(
      branchName('w', 't', '019a7b3c-1111-7000-8000-bbbbbbbbbbbb'),
    );
  });

  it('path prefix: slashes trimmed, backslashes turned, dot segments refused', () => {
    expect(normalizePathPrefix('')).toBe('');
    expect(normalizePathPrefix(' /services/worker/ ')).toBe('services/worker');
    expect(normalizePathPrefix('./apps\\worker')).toBe('apps/worker');
    expect(() => normalizePathPrefix('apps/../secrets')).toThrow("Path prefix 'apps/../secrets' may not contain '.' or '..' segments");
    expect(repositoryPath('', 'src/a.ts')).toBe('src/a.ts');
    expect(repositoryPath('worker', 'src/a.ts')).toBe('worker/src/a.ts');
  });

  it('a recorded call-site file must be relative to the source root', () => {
    expect(sourceRelativePath('src/./a.ts', 'p')).toBe('src/a.ts');
    expect(() => sourceRelativePath('/home/me/app/src/a.ts', 'prompt')).toThrow(
      "Variable 'prompt' was recorded in '/home/me/app/src/a.ts', outside the worker's source root",
    );
    expect(() => sourceRelativePath('../other/a.ts', 'prompt')).toThrow('not a file under the worker');
  });
});
