import { isValidIdentifier } from '@babel/types';
import type { LayoutStyle } from './detect-style';
import { quotedString, templateString } from './format-string';
import type { Json } from './json-value';

// A nested object or array in a multi-line default stays on one line when it fits this width.
const PRINT_WIDTH = 80;

/**
 * Source text for `value` in `style`. A string becomes a template literal when the old default was
 * one or when it holds a line break; strings nested in objects and arrays are always quoted.
 */
export function formatValue(value: Json, style: LayoutStyle): string {
  if (typeof value === 'string') {
    return style.template || value.includes('\n') ? templateString(value, style.eol) : quotedString(value, style.quote);
  }
  if (style.multiline) return expanded(value, style.baseIndent, style);
  return inline(value, style);
}

function inline(value: Json, style: LayoutStyle): string {
  if (value === null || typeof value !== 'object') return scalar(value, style);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => inline(item, style)).join(', ');
    return style.arrayPadding ? `[ ${items} ]` : `[${items}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const items = entries.map(([key, item]) => `${formatKey(key, style)}: ${inline(item, style)}`).join(', ');
  return style.objectPadding ? `{ ${items} }` : `{${items}}`;
}

/** One entry per line, indented one step from `indent`; nested containers inline when they fit. */
function expanded(value: Json, indent: string, style: LayoutStyle): string {
  if (value === null || typeof value !== 'object') return scalar(value, style);
  const inner = indent + style.indentUnit;
  const entries: [string, Json][] = Array.isArray(value)
    ? value.map((item) => ['', item])
    : Object.entries(value).map(([key, item]) => [`${formatKey(key, style)}: `, item]);
  if (entries.length === 0) return Array.isArray(value) ? '[]' : '{}';
  const lines = entries.map(([prefix, item], i) => {
    const comma = i < entries.length - 1 || style.trailingComma ? ',' : '';
    const oneLine = inline(item, style);
    const fits = width(inner) + prefix.length + oneLine.length + comma.length <= PRINT_WIDTH;
    return `${inner}${prefix}${fits ? oneLine : expanded(item, inner, style)}${comma}`;
  });
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return [open, ...lines, `${indent}${close}`].join(style.eol);
}

function scalar(value: string | number | boolean | null, style: LayoutStyle): string {
  if (typeof value === 'string') return quotedString(value, style.quote);
  return String(value);
}

/** A bare key when it is an identifier and the old object did not quote all keys; `["__proto__"]` so that it stays a key. */
function formatKey(key: string, style: LayoutStyle): string {
  const quote = style.keyQuote ?? style.quote;
  if (key === '__proto__') return `[${quotedString(key, quote)}]`;
  if (style.keyQuote === null && isValidIdentifier(key, false)) return key;
  return quotedString(key, quote);
}

function width(indent: string): number {
  return indent.replace(/\t/g, '    ').length;
}
