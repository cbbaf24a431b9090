export type Quote = "'" | '"';

const NAMED_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

/** `value` as a quoted string literal; invisible and ambiguous characters are escaped, the rest kept (emoji, CJK, accents). */
export function quotedString(value: string, quote: Quote): string {
  let out = quote;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === quote) out += `\\${quote}`;
    else out += NAMED_ESCAPES[char] ?? escapeInvisible(value, i);
  }
  return out + quote;
}

/**
 * `value` as a template literal without substitutions. Newlines stay real line breaks, written
 * with the file's own line ending: JavaScript reads a CRLF inside a template literal as "\n".
 */
export function templateString(value: string, eol: string): string {
  let out = '`';
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '\n') out += eol;
    else if (char === '`') out += '\\`';
    else if (char === '$' && value[i + 1] === '{') out += '\\$';
    else out += NAMED_ESCAPES[char] ?? escapeInvisible(value, i);
  }
  return out + '`';
}

/** The code unit at `i`, or an escape for it when it is a control character, a line/paragraph separator, a BOM or half a surrogate pair. */
function escapeInvisible(value: string, i: number): string {
  const code = value.charCodeAt(i);
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code === 0x2028 || code === 0x2029 || code === 0xfeff) return `\\u${code.toString(16)}`;
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = value.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return value[i]!;
    return `\\u${code.toString(16)}`;
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const previous = value.charCodeAt(i - 1);
    if (previous >= 0xd800 && previous <= 0xdbff) return value[i]!;
    return `\\u${code.toString(16)}`;
  }
  return value[i]!;
}
