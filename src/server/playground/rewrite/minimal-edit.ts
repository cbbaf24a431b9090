import type { Expression, Node } from '@babel/types';
import { detectStyle } from './detect-style';
import { formatValue } from './format-value';
import { sameJson, type Json } from './json-value';
import { evaluateLiteral, unwrapExpression } from './literal-value';

/** One replacement in a file: offsets in UTF-16 units. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface EditContext {
  source: string;
  json: boolean;
  /** Hints the quote when the replaced text has no string of its own. */
  quoteHint: Node;
}

/**
 * The edits that turn the literal `node` (holding `old`) into `value`. Objects with the same keys
 * in the same order and arrays of the same length are descended into, so that only the leaves
 * that differ are replaced and comments, layout and untouched entries survive; where the shape
 * differs (keys added, removed or reordered, another length, another type) that literal is
 * rewritten whole in the style of the code around it.
 */
export function minimalEdits(node: Expression, old: Json, value: Json, context: EditContext): TextEdit[] {
  const edits: TextEdit[] = [];
  collect(unwrapExpression(node), old, value, context, edits);
  return edits;
}

function collect(node: Expression, old: Json, value: Json, context: EditContext, edits: TextEdit[]): void {
  if (sameJson(old, value)) return;
  if (isRecord(old) && isRecord(value) && node.type === 'ObjectExpression') {
    const oldKeys = Object.keys(old);
    const newKeys = Object.keys(value);
    const sameShape =
      oldKeys.length === newKeys.length && oldKeys.every((key, i) => key === newKeys[i]) && node.properties.length === oldKeys.length;
    if (sameShape) {
      for (const property of node.properties) {
        if (property.type !== 'ObjectProperty') return replaceWhole(node, value, context, edits);
        const key = keyOf(property.key, property.computed);
        if (key === null || !Object.hasOwn(old, key)) return replaceWhole(node, value, context, edits);
        collect(unwrapExpression(property.value as Expression), old[key]!, value[key]!, context, edits);
      }
      return;
    }
  }
  if (Array.isArray(old) && Array.isArray(value) && node.type === 'ArrayExpression' && old.length === value.length) {
    if (node.elements.every((element) => element !== null && element.type !== 'SpreadElement')) {
      node.elements.forEach((element, i) => collect(unwrapExpression(element as Expression), old[i]!, value[i]!, context, edits));
      return;
    }
  }
  replaceWhole(node, value, context, edits);
}

function replaceWhole(node: Expression, value: Json, context: EditContext, edits: TextEdit[]): void {
  const text = context.json
    ? formatJson(context.source, node, value)
    : formatValue(value, detectStyle(context.source, node, context.quoteHint));
  edits.push({ start: node.start!, end: node.end!, text });
}

function isRecord(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyOf(key: Node, computed: boolean): string | null {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  if (computed && key.type === 'TemplateLiteral') {
    const evaluated = evaluateLiteral(key);
    return evaluated.ok && typeof evaluated.value === 'string' ? evaluated.value : null;
  }
  return null;
}

/** Applies edits (non-overlapping) to `text`, whose first character is at `offset` of the file. */
export function applyTextEdits(text: string, offset: number, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start - offset) + edit.text + result.slice(edit.end - offset);
  }
  return result;
}

/**
 * A JSON value written where `node` was: on one line when the old value was, else indented with
 * the file's own step from the line it starts on, with the file's line ending.
 */
function formatJson(source: string, node: Node, value: Json): string {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  if (node.loc!.start.line === node.loc!.end.line || value === null || typeof value !== 'object') return compactJson(value);
  const step = /^[ \t]+(?=\S)/m.exec(source)?.[0] ?? '  ';
  let start = node.start!;
  while (start > 0 && source[start - 1] !== '\n' && source[start - 1] !== '\r') start--;
  const base = /^[ \t]*/.exec(source.slice(start, node.start!))![0];
  return JSON.stringify(value, null, step)
    .split('\n')
    .join(eol + base);
}

/** `{"a": 1, "b": [1, 2]}`: JSON on one line, with a space after each colon and comma. */
function compactJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(compactJson).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${JSON.stringify(key)}: ${compactJson(item)}`)
    .join(', ')}}`;
}
