import { describe, expect, it } from 'vitest';
import { quotedString, templateString } from './format-string';

// Each written literal must read back as the same string.
const evaluate = (literal: string): unknown => new Function(`return ${literal};`)();

const samples = [
  '',
  "it's",
  'say "hi"',
  'back\\slash',
  'tab\tnew\nline\r\n',
  'nul\u0000 bell\u0007 del\u007f',
  'sep\u2028para\u2029bom\ufeff',
  '👋 こんにちは e\u0301',
  'lone \ud800 high, lone \udc00 low, pair \ud83d\udc4b',
  '`tick` ${x} $y $ {z} \\${w}',
];

describe('quotedString', () => {
  it.each(samples)('round-trips %j in both quote kinds', (value) => {
    expect(evaluate(quotedString(value, "'"))).toBe(value);
    expect(evaluate(quotedString(value, '"'))).toBe(value);
  });

  it('escapes only what it must and keeps visible text as is', () => {
    expect(quotedString('a\'b"c', "'")).toBe("'a\\'b\"c'");
    expect(quotedString('a\'b"c', '"')).toBe('"a\'b\\"c"');
    expect(quotedString('👋\u2028\n', "'")).toBe("'👋\\u2028\\n'");
  });
});

describe('templateString', () => {
  it.each(samples)('round-trips %j', (value) => {
    expect(evaluate(templateString(value, '\n'))).toBe(value);
    expect(evaluate(templateString(value, '\r\n'))).toBe(value);
  });

  it('keeps line breaks real, in the line ending asked for', () => {
    expect(templateString('a\nb', '\r\n')).toBe('`a\r\nb`');
    expect(templateString('a\r\nb', '\n')).toBe('`a\\r\nb`');
    expect(templateString('$x ${y}', '\n')).toBe('`$x \\${y}`');
  });
});
