/**
 * Rewrites the default value of one `playground(name, default)` call, for the playground's "Open
 * pull request". Pure: text in, text out (`rewritePlaygroundDefault`, one file), or files asked for
 * by path (`rewritePlaygroundDefaultInRepository`, following imports to other files).
 *
 * - The call: a `playground` call (`ctx.playground`, `this.ctx.playground`, `ctx?.playground`, a
 *   destructured `playground`, with or without `<T>`) whose first argument is the literal `name`.
 *   The one at the recorded line/column wins (the column may point at the callee's object, at
 *   `.playground` as V8 reports it, or up to the opening parenthesis); else the only one on that
 *   line; else the only one in the file. Several and none at the position: `ambiguous`.
 * - What is replaced: the literal the second argument stands for, inside any `as const` /
 *   `satisfies T` / `<T>` / parentheses: the argument itself; the initializer of the `const` an
 *   identifier names; a member of a const object or array literal (`PROMPTS.support`,
 *   `PROMPTS['support']`, nested); with a repository to read, an exported const of another module
 *   (named, default and namespace imports, re-exports, `.js` specifiers naming `.ts` files, tsconfig
 *   `paths`) or a value of an imported JSON file. `let`, parameters, calls, operators, template
 *   substitutions, destructuring or non-literal values: `unsupported_default`, with what to do instead.
 * - Minimal edits: objects with the same keys and arrays of the same length are descended into and
 *   only the differing leaves replaced; a literal whose shape changed is rewritten whole.
 * - Style: strings keep their quote (or become a template literal when the old default was one, or
 *   the new string has a line break); objects and arrays stay on one line with the same bracket
 *   spacing if the old default did, else one entry per line, indented one step (the old object's
 *   own step, else the file's) from the line the default starts on, with the file's line ending
 *   and the old trailing-comma habit; keys stay bare or quoted as the old object had them. JSON
 *   files keep their indentation, key order and final newline. Every other character is kept.
 *   The same value again: `changed: false`.
 * - Positions are in UTF-16 code units, as in JavaScript strings and V8 stack frames.
 */
import type { Node } from '@babel/types';
import { RewriteError } from './errors';
import { isPlaygroundCallNamed, selectCall, type PlaygroundCall, type RecordedPosition } from './find-call';
import { assertJson, sameJson } from './json-value';
import { applyTextEdits, minimalEdits } from './minimal-edit';
import { DefaultResolver, type Reads } from './resolve-default';
import { loadSourceFile } from './source-file';
import { walk } from './walk';

export { RewriteError, type RewriteErrorCode } from './errors';

export interface RewriteRequest {
  /** The file's path relative to the repository root (chooses the parser; named in errors). */
  path: string;
  source: string;
  /** The playground variable's name: the call's first argument. */
  name: string;
  /** The recorded call site: 1-based line and 1-based column in UTF-16 units. */
  line?: number;
  column?: number;
  /** The new default, as JSON. */
  value: unknown;
}

export type EditKind = 'argument' | 'const' | 'json';

export interface RewriteResult {
  source: string;
  changed: boolean;
  /** Where the replaced expression starts (1-based line and column), and what it is. */
  edit: { line: number; column: number; kind: EditKind };
  /** The replaced expression's old text, and its new one. */
  before: string;
  after: string;
}

export interface RepositoryRewriteRequest extends Omit<RewriteRequest, 'source'> {}

export interface RepositoryRewriteResult extends RewriteResult {
  /** The file that changes (the call's file, or the module or JSON file the default lives in). */
  path: string;
  /** That file's text as read. */
  original: string;
}

/** Reads a repository file by its path; null when there is no such file. */
export type ReadRepositoryFile = (path: string) => Promise<string | null>;

/** Rewrites a default of `source`; an imported default is refused (use `rewritePlaygroundDefaultInRepository`). */
export function rewritePlaygroundDefault(request: RewriteRequest): RewriteResult {
  const steps = rewriteSteps(request, request.source, false);
  let step = steps.next();
  while (!step.done) step = steps.next(null);
  const { path: _path, original: _original, ...result } = step.value;
  return result;
}

/** Rewrites a default wherever it lives in the repository: `read` gives the call's file and every file an import leads to. */
export async function rewritePlaygroundDefaultInRepository(
  request: RepositoryRewriteRequest,
  read: ReadRepositoryFile,
): Promise<RepositoryRewriteResult> {
  const source = await read(request.path);
  if (source === null) throw new RewriteError('call_not_found', `${request.path}: no such file`);
  const steps = rewriteSteps(request, source, true);
  let step = steps.next();
  while (!step.done) step = steps.next(await read(step.value));
  return step.value;
}

function* rewriteSteps(request: Omit<RewriteRequest, 'source'>, source: string, followImports: boolean): Reads<RepositoryRewriteResult> {
  const { path, name, value } = request;
  const position = recordedPosition(request);
  assertJson(value, `${path}: playground('${name}')`);
  const calls: PlaygroundCall[] = [];
  const file = loadSourceFile(path, source, (node: Node) => {
    if (isPlaygroundCallNamed(node, name)) calls.push(node);
  });
  const call = selectCall(calls, position, path, name);
  const resolver = new DefaultResolver(`${path}:${call.loc!.start.line}: playground('${name}')`, { followImports });
  resolver.addFile(file);
  const target = yield* resolver.resolve(call, file);
  const { node } = target;
  const text = target.file.source;
  const edit = { line: node.loc!.start.line, column: node.loc!.start.column + 1, kind: target.kind };
  const before = text.slice(node.start!, node.end!);
  const unchanged = { path: target.file.path, original: text, source: text, changed: false, edit, before, after: before };
  if (sameJson(target.value, value)) return unchanged;
  const quoteHint = firstString(node) ?? (target.file === file ? call.arguments[0]! : node);
  const edits = minimalEdits(node, target.value, value, { source: text, json: target.file.kind === 'json', quoteHint });
  const after = applyTextEdits(before, node.start!, edits);
  const rewritten = text.slice(0, node.start!) + after + text.slice(node.end!);
  return { ...unchanged, source: rewritten, changed: true, after };
}

function firstString(root: Node): Node | null {
  let found: Node | null = null;
  walk(root, (node) => {
    if (!found && node.type === 'StringLiteral') found = node;
  });
  return found;
}

function recordedPosition({ line, column }: Omit<RewriteRequest, 'source'>): RecordedPosition | null {
  if (line === undefined) return null;
  if (!Number.isInteger(line) || line < 1) throw new TypeError(`rewritePlaygroundDefault: line must be a positive integer, got ${line}`);
  if (column !== undefined && (!Number.isInteger(column) || column < 1))
    throw new TypeError(`rewritePlaygroundDefault: column must be a positive integer, got ${column}`);
  return { line, column };
}
