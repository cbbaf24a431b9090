import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/**
 * A unified diff of one file that `git apply` (and `patch -p1`) accept: a `diff --git` line, then
 * `--- a/<path>` / `+++ b/<path>` and hunks with three lines of context. Empty when nothing changed.
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const hunks = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
  return `diff --git a/${path} b/${path}\n${hunks}`;
}
