// What a pull request (or patch) from a variant changes: each overridden playground default
// rewritten at its recorded call site, grouped by file, with a unified diff per file.
import { RewriteError, rewritePlaygroundDefault } from '@/server/playground/rewrite';
import { unifiedDiff } from './diff';
import { badRequest } from '@/server/errors';
import type { VariantVariable } from './variant';

/** Reads a file by its path in the repository (GitHub at a ref, or the local checkout). */
export type ReadSource = (path: string) => Promise<string>;

export interface PlannedVariable {
  name: string;
  /** The file's path in the repository (or under the local source root). */
  path: string;
  line: number;
  column?: number;
  /** The default the code had when the variant ran, and the variant's value. */
  defaultValue: unknown;
  value: unknown;
  /** The replaced expression's text in the file, and its new text. */
  before: string;
  after: string;
  /** Where the replaced expression is: the call's argument, or the initializer of the const it names. */
  edit: { line: number; column: number; kind: 'argument' | 'const' };
}

export interface PlannedFile {
  path: string;
  before: string;
  after: string;
  diff: string;
  variables: string[];
}

export interface Plan {
  /** Only the files that change. */
  files: PlannedFile[];
  variables: PlannedVariable[];
}

interface Edit {
  start: number;
  end: number;
  text: string;
  variable: string;
}

/**
 * Rewrites every variable's default in its file. Each rewrite is computed on the file as read,
 * then all edits of a file are applied from the bottom up, so earlier offsets stay valid; two
 * variables that rewrite the same const to different values are refused.
 */
export async function planRewrite(
  variables: readonly VariantVariable[],
  pathOf: (file: string) => string,
  read: ReadSource,
): Promise<Plan> {
  const byPath = new Map<string, VariantVariable[]>();
  for (const v of variables) {
    const path = pathOf(v.file);
    byPath.set(path, [...(byPath.get(path) ?? []), v]);
  }
  const files: PlannedFile[] = [];
  const planned: PlannedVariable[] = [];
  for (const [path, inFile] of byPath) {
    const source = await read(path);
    const edits: Edit[] = [];
    for (const v of [...inFile].sort((a, b) => b.line - a.line || (b.column ?? 0) - (a.column ?? 0))) {
      const result = rewrite(path, source, v);
      planned.push({
        name: v.name,
        path,
        line: v.line,
        column: v.column,
        defaultValue: v.defaultValue,
        value: v.value,
        before: result.before,
        after: result.after,
        edit: result.edit,
      });
      if (!result.changed) continue;
      const start = offsetOf(source, result.edit.line, result.edit.column);
      if (source.slice(start, start + result.before.length) !== result.before) {
        throw new Error(
          `${path}: the rewrite of '${v.name}' reported an edit at ${result.edit.line}:${result.edit.column} that does not match the file`,
        );
      }
      edits.push({ start, end: start + result.before.length, text: result.after, variable: v.name });
    }
    const after = applyEdits(path, source, edits);
    if (after !== source)
      files.push({ path, before: source, after, diff: unifiedDiff(path, source, after), variables: inFile.map((v) => v.name).sort() });
  }
  planned.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { files, variables: planned };
}

function rewrite(path: string, source: string, v: VariantVariable) {
  try {
    return rewritePlaygroundDefault({ path, source, name: v.name, line: v.line, column: v.column, value: v.value });
  } catch (error) {
    if (error instanceof RewriteError) throw badRequest(error.message);
    throw error;
  }
}

/** Non-overlapping edits applied from the last to the first; the same edit twice counts once. */
function applyEdits(path: string, source: string, edits: Edit[]): string {
  const ordered = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = source;
  let previous: Edit | undefined;
  for (const edit of ordered) {
    if (previous && edit.end > previous.start) {
      if (edit.start === previous.start && edit.end === previous.end && edit.text === previous.text) continue;
      throw badRequest(
        `${path}: playground variables '${edit.variable}' and '${previous.variable}' take their defaults from the same place in the code, and the variant gives them different values: change one of them only`,
      );
    }
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    previous = edit;
  }
  return result;
}

/** The string offset of a 1-based line and column (UTF-16 units), with the line breaks the parser counts. */
export function offsetOf(source: string, line: number, column: number): number {
  const breaks = /\r\n|[\n\r\u2028\u2029]/g;
  let lineStart = 0;
  for (let current = 1; current < line; current++) {
    const match = breaks.exec(source);
    if (!match) throw new Error(`line ${line} is past the end of the source`);
    lineStart = match.index + match[0].length;
  }
  return lineStart + column - 1;
}
