import { describe, expect, it } from 'vitest';
import { formatJsonPath, MAX_JSON_DEPTH, unsafeJsonProblem } from './json-safety';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

describe('unsafeJsonProblem', () => {
  it('accepts ordinary JSON, surrogate pairs (emoji) and exactly 100 levels', () => {
    expect(unsafeJsonProblem({ input: { items: [{ name: 'ok 😀' }], n: 1, b: true, z: null } })).toBeNull();
    expect(unsafeJsonProblem('plain')).toBeNull();
    expect(unsafeJsonProblem(nested(MAX_JSON_DEPTH))).toBeNull();
  });

  it('names the path of a NUL in a string', () => {
    expect(unsafeJsonProblem({ input: { items: [{}, {}, { name: 'a\u0000b' }] } })).toEqual({
      path: 'input.items[2].name',
      problem: 'string contains a NUL character (\\u0000), which cannot be stored',
    });
  });

  it('finds lone surrogates, high or low, and in keys', () => {
    expect(unsafeJsonProblem({ metadata: { tag: 'x\uD800' } })?.path).toBe('metadata.tag');
    expect(unsafeJsonProblem({ metadata: { tag: '\uDC00y' } })?.problem).toMatch(/lone UTF-16 surrogate/);
    expect(unsafeJsonProblem({ metadata: { ['k\uD83D']: 1 } })).toEqual({
      path: 'metadata',
      problem: 'has a key that contains a lone UTF-16 surrogate (not valid Unicode), which cannot be stored',
    });
    expect(unsafeJsonProblem({ a: { 'we\u0000ird': 1 } })?.problem).toMatch(/^has a key that contains a NUL/);
    expect(unsafeJsonProblem('\u0000')?.path).toBe('body');
  });

  it('refuses 101 levels, and 10 000 levels without overflowing the stack', () => {
    expect(unsafeJsonProblem(nested(MAX_JSON_DEPTH + 1))?.problem).toBe(
      'is nested more than 100 levels deep (the limit for JSON documents)',
    );
    const deep = JSON.parse('['.repeat(10_000) + ']'.repeat(10_000));
    expect(unsafeJsonProblem(deep)?.problem).toMatch(/nested more than 100 levels/);
  });

  it('reports the first problem in document order', () => {
    expect(unsafeJsonProblem({ a: ['fine', 'bad\u0000'], b: 'bad\u0000' })?.path).toBe('a[1]');
  });
});

describe('formatJsonPath', () => {
  it('writes identifiers with dots, indexes and other keys in brackets', () => {
    expect(formatJsonPath([])).toBe('body');
    expect(formatJsonPath(['input', 'items', 2, 'name'])).toBe('input.items[2].name');
    expect(formatJsonPath(['metadata', 'a b', 0])).toBe('metadata["a b"][0]');
    expect(formatJsonPath([3, 'x'])).toBe('[3].x');
  });
});
