import type { Expression, Node } from '@babel/types';
import type { Quote } from './format-string';
import { walk } from './walk';

/** How the code around a default is written, so that a new value reads as if written there. */
export interface LayoutStyle {
  /** Quote for string values. */
  quote: Quote;
  /** Quote for object keys; null: keys are bare when they are identifiers, quoted with `quote` otherwise. */
  keyQuote: Quote | null;
  /** `{ a: 1 }` rather than `{a: 1}`. */
  objectPadding: boolean;
  /** `[ 1, 2 ]` rather than `[1, 2]`. */
  arrayPadding: boolean;
  /** Objects and arrays one entry per line (the old default spanned several lines). */
  multiline: boolean;
  indentUnit: string;
  /** Indentation of the line the default starts on. */
  baseIndent: string;
  eol: '\n' | '\r\n';
  trailingComma: boolean;
  /** A string default is written as a template literal even without line breaks. */
  template: boolean;
}

/** The style of `target` (the old default) in `source`; `nameNode` (the call's first argument) hints the quote when the default has no strings. */
export function detectStyle(source: string, target: Expression, nameNode: Node): LayoutStyle {
  const nodes: Node[] = [];
  walk(target, (node) => nodes.push(node));
  const keys = new Set<Node>();
  for (const node of nodes) {
    if (node.type === 'ObjectProperty' && !node.computed) keys.add(node.key);
  }
  const keyStrings = [...keys].filter((key) => key.type === 'StringLiteral');
  const valueStrings = nodes.filter((node) => node.type === 'StringLiteral' && !keys.has(node));
  const keyQuote = keys.size > 0 && keyStrings.length === keys.size ? quoteOf(source, keyStrings[0]!) : null;
  const baseIndent = lineIndent(source, target.start!);
  return {
    quote: quoteOf(source, valueStrings[0] ?? keyStrings[0] ?? nameNode),
    keyQuote,
    objectPadding: padding(source, nodes, 'ObjectExpression') ?? true,
    arrayPadding: padding(source, nodes, 'ArrayExpression') ?? false,
    multiline: target.loc!.start.line !== target.loc!.end.line,
    indentUnit: containerIndentUnit(source, target, baseIndent) ?? fileIndentUnit(source, baseIndent),
    baseIndent,
    eol: lineEnding(source),
    trailingComma: containerTrailingComma(target) ?? true,
    template: target.type === 'TemplateLiteral',
  };
}

function quoteOf(source: string, node: Node): Quote {
  return node.type === 'StringLiteral' && source[node.start!] === '"' ? '"' : "'";
}

/** Whether the first non-empty one-line object (or array) in the old default has a space inside its brackets. */
function padding(source: string, nodes: Node[], type: 'ObjectExpression' | 'ArrayExpression'): boolean | null {
  for (const node of nodes) {
    if (node.type !== type || node.loc!.start.line !== node.loc!.end.line) continue;
    const entries = node.type === 'ObjectExpression' ? node.properties : node.type === 'ArrayExpression' ? node.elements : [];
    if (entries.length > 0) return /\s/.test(source[node.start! + 1]!);
  }
  return null;
}

function containerTrailingComma(target: Expression): boolean | null {
  if (target.type !== 'ObjectExpression' && target.type !== 'ArrayExpression') return null;
  const entries = target.type === 'ObjectExpression' ? target.properties : target.elements;
  if (entries.length === 0 || target.loc!.start.line === target.loc!.end.line) return null;
  return target.extra?.trailingComma !== undefined;
}

/** The step between the old default's own lines and its first entry, when it was a multi-line object or array. */
function containerIndentUnit(source: string, target: Expression, baseIndent: string): string | null {
  if (target.type !== 'ObjectExpression' && target.type !== 'ArrayExpression') return null;
  const first = target.type === 'ObjectExpression' ? target.properties[0] : target.elements[0];
  if (!first || first.loc!.start.line === target.loc!.start.line) return null;
  const inner = lineIndent(source, first.start!);
  return inner.startsWith(baseIndent) && inner.length > baseIndent.length ? inner.slice(baseIndent.length) : null;
}

/**
 * The file's indentation step: a tab when the default's line is tab-indented, otherwise the
 * commonest increase of indentation between consecutive code lines (JSDoc ` * ` lines skipped).
 */
function fileIndentUnit(source: string, baseIndent: string): string {
  if (baseIndent.startsWith('\t')) return '\t';
  const steps = new Map<number, number>();
  let previous = 0;
  let tabLines = 0;
  let spaceLines = 0;
  for (const line of source.split(/\r\n|\n|\r/)) {
    const indent = /^[ \t]*/.exec(line)![0];
    const rest = line.slice(indent.length);
    if (rest === '' || rest.startsWith('*')) continue;
    if (indent.startsWith('\t')) {
      tabLines++;
      continue;
    }
    if (indent.length > 0) spaceLines++;
    if (indent.length > previous) steps.set(indent.length - previous, (steps.get(indent.length - previous) ?? 0) + 1);
    previous = indent.length;
  }
  if (tabLines > spaceLines) return '\t';
  let best = 2;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && step < best)) [best, bestCount] = [step, count];
  }
  return ' '.repeat(best);
}

/** The spaces and tabs at the start of the line holding `offset`. */
function lineIndent(source: string, offset: number): string {
  let start = offset;
  while (start > 0 && source[start - 1] !== '\n' && source[start - 1] !== '\r') start--;
  return /^[ \t]*/.exec(source.slice(start, offset))![0];
}

function lineEnding(source: string): '\n' | '\r\n' {
  const newline = source.indexOf('\n');
  return newline > 0 && source[newline - 1] === '\r' ? '\r\n' : '\n';
}
