import { describe, expect, it } from 'vitest';
import { jsonTypeOf, overrideTypeProblem } from './json-type';

describe('jsonTypeOf', () => {
  it.each([
    ['text', 'string'],
    [0.2, 'number'],
    [false, 'boolean'],
    [null, 'null'],
    [[1], 'array'],
    [{ a: 1 }, 'object'],
  ] as const)('%j is %s', (value, type) => expect(jsonTypeOf(value)).toBe(type));
});

describe('overrideTypeProblem', () => {
  it('accepts a value of the default type', () => {
    expect(overrideTypeProblem('temperature', 0.2, 0.9)).toBeNull();
    expect(overrideTypeProblem('config', { a: 1 }, { b: [2] })).toBeNull();
  });

  it('names the variable and both types on a mismatch', () => {
    expect(overrideTypeProblem('temperature', 0.2, '0.9')).toBe("'temperature' is a number in code; the new value is a string");
    expect(overrideTypeProblem('tags', ['a'], { a: 1 })).toBe("'tags' is an array in code; the new value is an object");
  });

  it('lets a null default take any value', () => {
    expect(overrideTypeProblem('maybe', null, 'x')).toBeNull();
  });
});
