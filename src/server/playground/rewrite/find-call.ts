import type { CallExpression, Node, OptionalCallExpression, SourceLocation } from '@babel/types';
import { RewriteError } from './errors';

export type PlaygroundCall = CallExpression | OptionalCallExpression;

/** Where the SDK says the call is: 1-based line, 1-based column in UTF-16 units (a V8 stack position). */
export interface RecordedPosition {
  line: number;
  column?: number;
}

/**
 * True when `node` is a `playground(name, …)` call with this name as its first argument: a string
 * literal or a template literal without substitutions, whatever the callee's object
 * (`ctx.playground`, `this.ctx.playground`, `ctx?.playground`, a destructured `playground`).
 */
export function isPlaygroundCallNamed(node: Node, name: string): node is PlaygroundCall {
  if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return false;
  return isPlaygroundCallee(node.callee) && literalName(node.arguments[0]) === name;
}

function isPlaygroundCallee(callee: Node): boolean {
  if (callee.type === 'Identifier') return callee.name === 'playground';
  if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return false;
  const { property } = callee;
  if (!callee.computed) return property.type === 'Identifier' && property.name === 'playground';
  return literalName(property) === 'playground';
}

function literalName(node: Node | undefined): string | null {
  if (node?.type === 'StringLiteral') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  return null;
}

/**
 * The call the request means. First the one at the recorded position (which may point at the
 * callee's object, at `.playground`, or anywhere up to the opening parenthesis), then the only one
 * on the recorded line, then the only one in the file (the code moved since the run).
 */
export function selectCall(calls: PlaygroundCall[], position: RecordedPosition | null, path: string, name: string): PlaygroundCall {
  const label = `playground('${name}', …)`;
  if (calls.length === 0) {
    const looked = position ? ` (looked at line ${position.line}, then the whole file)` : '';
    throw new RewriteError(
      'call_not_found',
      `${path}: no ${label} call found${looked}: the code changed since the run; re-run the task on the current code and open the pull request from that run, or edit the code by hand`,
    );
  }
  if (position) {
    const atPosition = calls.find((call) => calleeSpanContains(call, position));
    if (atPosition) return atPosition;
    const onLine = calls.filter((call) => call.loc!.start.line <= position.line && position.line <= call.loc!.end.line);
    if (onLine.length === 1) return onLine[0]!;
  }
  if (calls.length === 1) return calls[0]!;
  const lines = calls.map((call) => call.loc!.start.line).join(', ');
  const where = position
    ? `none of them at line ${position.line}${position.column ? `, column ${position.column}` : ''}`
    : 'and no recorded position';
  throw new RewriteError(
    'ambiguous',
    `${path}: ${calls.length} ${label} calls (lines ${lines}), ${where}: cannot tell which default to change; give each call its own variable name, or re-run the task on the current code so its call site is recorded again`,
  );
}

/** From the start of the callee to the start of the first argument: `ctx.playground<T>(`. */
function calleeSpanContains(call: PlaygroundCall, position: RecordedPosition): boolean {
  if (position.column === undefined) return false;
  const start = call.callee.loc!.start;
  const end = call.arguments[0]!.loc!.start;
  const at = { line: position.line, column: position.column - 1 };
  return compare(start, at) <= 0 && compare(at, end) < 0;
}

function compare(a: Pick<SourceLocation['start'], 'line' | 'column'>, b: Pick<SourceLocation['start'], 'line' | 'column'>): number {
  return a.line - b.line || a.column - b.column;
}
