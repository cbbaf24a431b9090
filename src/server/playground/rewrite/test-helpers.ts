/** Test helpers for the rewrite corpus: file texts and the call sites V8 would record for them. */

/** Lines joined with "\n". */
export const lines = (...text: string[]): string => text.join('\n');

/** Lines joined with "\r\n". */
export const crlfLines = (...text: string[]): string => text.join('\r\n');

/**
 * The 1-based line and column (UTF-16 units) of the `occurrence`-th `marker` in `source`: with
 * marker 'playground' that is what a V8 stack frame reports for `ctx.playground(...)`.
 */
export function positionOf(source: string, marker: string, occurrence = 1): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = source.indexOf(marker, index + 1);
    if (index < 0) throw new Error(`marker ${JSON.stringify(marker)} #${occurrence} not in source`);
  }
  const before = source.slice(0, index);
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  return { line: before.split(/\r\n|\n|\r/).length, column: index - lineStart + 1 };
}
