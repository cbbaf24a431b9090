// What a pull request (or patch) from a variant changes: each overridden playground default
// rewritten at its recorded call site, grouped by file, with a unified diff per file.
import { RewriteError, rewritePlaygroundDefaultInRepository, type EditKind } from '@/server/playground/rewrite';
import { unifiedDiff } from './diff';
import { badRequest, NotFoundError } from '@/server/errors';
import type { VariantVariable } from './variant';

/** Reads a file by its path in the repository (GitHub at a ref, or the local checkout). */
export type ReadSource = (path: string) => Promise<string>;

export interface PlannedVariable {
  name: string;
  /** The call site's file in the repository (or under the local source root). */
  path: string;
  line: number;
  column?: number;
  /** The default the code had when the variant ran, and the variant's value. */
  defaultValue: unknown;
  value: unknown;
  /** The replaced expression's text, and its new text. */
  before: string;
  after: string;
  /**
   * Where the replaced expression is: the file (the call's, or the module or JSON file the default
   * is imported from), and whether it is the call's argument, a const's initializer (or a member of
   * it), or a value in a JSON file.
   */
  edit: { path: string; line: number; column: number; kind: EditKind };
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
 * Rewrites every variable's default where it lives: the call's file, or the module or JSON file
 * its default is imported from (read through `read` too). Each rewrite is computed on the files as
 * read, then all edits of a file are applied from the bottom up, so earlier offsets stay valid; two
 * variables that rewrite the same value to different values are refused.
 */
export async function planRewrite(
  variables: readonly VariantVariable[],
  pathOf: (file: string) => string,
  read: ReadSource,
): Promise<Plan> {
  const texts = new Map<string, Promise<string | null>>();
  const readOnce = (path: string, missing: 'throw' | 'null'): Promise<string | null> => {
    let text = texts.get(path);
    if (!text) {
      text = read(path);
      texts.set(path, text);
    }
    // A file an import might name (`./prompts.ts`, `./prompts/index.ts`, a tsconfig.json) may be absent.
    return missing === 'throw' ? text : text.catch((error: unknown) => (error instanceof NotFoundError ? null : Promise.reject(error)));
  };
  const originals = new Map<string, string>();
  const editsByPath = new Map<string, Edit[]>();
  const variablesByPath = new Map<string, Set<string>>();
  const planned: PlannedVariable[] = [];
  const ordered = [...variables].sort((a, b) => a.file.localeCompare(b.file) || b.line - a.line || (b.column ?? 0) - (a.column ?? 0));
  for (const v of ordered) {
    const path = pathOf(v.file);
    await readOnce(path, 'throw');
    const result = await rewrite(path, v, (file) => readOnce(file, 'null'));
    planned.push({
      name: v.name,
      path,
      line: v.line,
      column: v.column,
      defaultValue: v.defaultValue,
      value: v.value,
      before: result.before,
      after: result.after,
      edit: { path: result.path, ...result.edit },
    });
    if (!result.changed) continue;
    const source = result.original;
    originals.set(result.path, source);
    const start = offsetOf(source, result.edit.line, result.edit.column);
    if (source.slice(start, start + result.before.length) !== result.before) {
      throw new Error(
        `${result.path}: the rewrite of '${v.name}' reported an edit at ${result.edit.line}:${result.edit.column} that does not match the file`,
      );
    }
    editsByPath.set(result.path, [
      ...(editsByPath.get(result.path) ?? []),
      { start, end: start + result.before.length, text: result.after, variable: v.name },
    ]);
    variablesByPath.set(result.path, (variablesByPath.get(result.path) ?? new Set()).add(v.name));
  }
  const files: PlannedFile[] = [];
  for (const [path, edits] of editsByPath) {
    const source = originals.get(path)!;
    const after = applyEdits(path, source, edits);
    if (after !== source)
      files.push({
        path,
        before: source,
        after,
        diff: unifiedDiff(path, source, after),
        variables: [...variablesByPath.get(path)!].sort(),
      });
  }
  planned.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { files, variables: planned };
}

async function rewrite(path: string, v: VariantVariable, read: (path: string) => Promise<string | null>) {
  try {
    return await rewritePlaygroundDefaultInRepository({ path, name: v.name, line: v.line, column: v.column, value: v.value }, read);
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
        `${path}: playground variables '${edit.variable}' and '${previous.variable}' take their defaults from the same place in the code, and the variant gives them different values: change one of them only, or give each variable its own const`,
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
