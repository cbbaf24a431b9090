// Pure: a unified diff (as `pullRequests.preview` gives it per file) split into lines to render,
// each with its kind and its line numbers in the old and the new file.

export type DiffLineKind = 'header' | 'hunk' | 'context' | 'added' | 'removed' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its leading '+', '-' or ' ' (headers, hunk lines and notes as they are). */
  text: string;
  /** 1-based, in the file before the change (context and removed lines). */
  oldLine?: number;
  /** 1-based, in the file after the change (context and added lines). */
  newLine?: number;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Lines of a unified diff. Inside a hunk its header's line counts decide what is content, so a
 * removed line that reads `-- x` or an added `++ y` is not mistaken for a file header.
 */
export function parseUnifiedDiff(diff: string): DiffLine[] {
  const lines = diff.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const out: DiffLine[] = [];
  let oldLeft = 0;
  let newLeft = 0;
  let oldLine = 0;
  let newLine = 0;
  for (const line of lines) {
    if (line.startsWith('\\')) {
      out.push({ kind: 'note', text: line });
      continue;
    }
    if (oldLeft > 0 || newLeft > 0) {
      const marker = line[0];
      const text = line.slice(1);
      if (marker === '+' && newLeft > 0) {
        out.push({ kind: 'added', text, newLine: newLine++ });
        newLeft--;
        continue;
      }
      if (marker === '-' && oldLeft > 0) {
        out.push({ kind: 'removed', text, oldLine: oldLine++ });
        oldLeft--;
        continue;
      }
      // Some tools trim the single space of an empty context line.
      if ((marker === ' ' || line === '') && oldLeft > 0 && newLeft > 0) {
        out.push({ kind: 'context', text, oldLine: oldLine++, newLine: newLine++ });
        oldLeft--;
        newLeft--;
        continue;
      }
      oldLeft = newLeft = 0;
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      newLine = Number(hunk[3]);
      newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
      out.push({ kind: 'hunk', text: line });
      continue;
    }
    out.push({ kind: 'header', text: line });
  }
  return out;
}

/** How many lines a diff adds and removes. */
export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  return {
    added: lines.filter((l) => l.kind === 'added').length,
    removed: lines.filter((l) => l.kind === 'removed').length,
  };
}
