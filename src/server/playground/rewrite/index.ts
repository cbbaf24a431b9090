/**
 * Rewrites the default value of one `playground(name, default)` call in a source file, for the
 * playground's "Open pull request". Pure: text in, text out.
 *
 * - The call: a `playground` call (`ctx.playground`, `this.ctx.playground`, `ctx?.playground`, a
 *   destructured `playground`, with or without `<T>`) whose first argument is the literal `name`.
 *   The one at the recorded line/column wins (the column may point at the callee's object, at
 *   `.playground` as V8 reports it, or up to the opening parenthesis); else the only one on that
 *   line; else the only one in the file. Several and none at the position: `ambiguous`.
 * - What is replaced: the second argument only, inside any `as const` / `satisfies T` / `<T>` /
 *   parentheses. An identifier is followed to the initializer of the `const` it names (the edit
 *   then changes every use of that const). `let`, imports, parameters, calls, operators, template
 *   substitutions or non-literal values inside objects: `unsupported_default`.
 * - Style: strings keep their quote (or become a template literal when the old default was one, or
 *   the new string has a line break); objects and arrays stay on one line with the same bracket
 *   spacing if the old default did, else one entry per line, indented one step (the old object's
 *   own step, else the file's) from the line the default starts on, with the file's line ending
 *   and the old trailing-comma habit; keys stay bare or quoted as the old object had them.
 *   Every other character of the file is kept. The same value again: `changed: false`.
 * - Positions are in UTF-16 code units, as in JavaScript strings and V8 stack frames.
 */
import MagicString from 'magic-string';
import type { Node } from '@babel/types';
import { detectStyle } from './detect-style';
import { isPlaygroundCallNamed, selectCall, type PlaygroundCall, type RecordedPosition } from './find-call';
import { formatValue } from './format-value';
import { assertJson, sameJson } from './json-value';
import { parseSource } from './parse';
import { resolveDefault } from './resolve-default';
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

export interface RewriteResult {
  source: string;
  changed: boolean;
  /** Where the replaced expression starts (1-based line and column), and whether it was the argument or a const's initializer. */
  edit: { line: number; column: number; kind: 'argument' | 'const' };
  /** The replaced expression's old text, and its new one. */
  before: string;
  after: string;
}

export function rewritePlaygroundDefault(request: RewriteRequest): RewriteResult {
  const { path, source, name, value } = request;
  const position = recordedPosition(request);
  assertJson(value, `${path}: playground('${name}')`);
  const ast = parseSource(path, source);
  const calls: PlaygroundCall[] = [];
  const parents = walk(ast, (node: Node) => {
    if (isPlaygroundCallNamed(node, name)) calls.push(node);
  });
  const call = selectCall(calls, position, path, name);
  const target = resolveDefault(call, { path, name, source, parents });
  const { node } = target;
  const edit = { line: node.loc!.start.line, column: node.loc!.start.column + 1, kind: target.kind };
  const before = source.slice(node.start!, node.end!);
  if (sameJson(target.value, value)) return { source, changed: false, edit, before, after: before };
  const after = formatValue(value, detectStyle(source, node, call.arguments[0]!));
  const rewritten = new MagicString(source).overwrite(node.start!, node.end!, after).toString();
  return { source: rewritten, changed: true, edit, before, after };
}

function recordedPosition({ line, column }: RewriteRequest): RecordedPosition | null {
  if (line === undefined) return null;
  if (!Number.isInteger(line) || line < 1) throw new TypeError(`rewritePlaygroundDefault: line must be a positive integer, got ${line}`);
  if (column !== undefined && (!Number.isInteger(column) || column < 1))
    throw new TypeError(`rewritePlaygroundDefault: column must be a positive integer, got ${column}`);
  return { line, column };
}
