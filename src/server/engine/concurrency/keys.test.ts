import { describe, expect, it } from 'vitest';
import { concurrencyKeys, evaluateKey } from './keys';

const run = { input: { customerId: 'c-1', nested: { n: 7, obj: { a: 1 } }, nil: null }, additionalMetadata: { tenant: 'acme' } };

describe('evaluateKey', () => {
  it('reads a path from the input or the metadata', () => {
    expect(evaluateKey('input.customerId', run)).toBe('c-1');
    expect(evaluateKey('additionalMetadata.tenant', run)).toBe('acme');
  });

  it('writes non-strings as JSON and a missing or null value as the empty key', () => {
    expect(evaluateKey('input.nested.n', run)).toBe('7');
    expect(evaluateKey('input.nested.obj', run)).toBe('{"a":1}');
    expect(evaluateKey('input.nil', run)).toBe('');
    expect(evaluateKey('input.missing.deeper', run)).toBe('');
    expect(evaluateKey('additionalMetadata.tenant', { input: {}, additionalMetadata: null })).toBe('');
  });

  it('does not walk the prototype', () => {
    expect(evaluateKey('input.constructor', run)).toBe('');
  });
});

describe('concurrencyKeys', () => {
  it('prefixes each rule’s key with its position', () => {
    const rules = [
      { expression: 'input.customerId', maxRuns: 1, limitStrategy: 'GROUP_ROUND_ROBIN' as const },
      { expression: 'additionalMetadata.tenant', maxRuns: 5, limitStrategy: 'GROUP_ROUND_ROBIN' as const },
    ];
    expect(concurrencyKeys(rules, run)).toEqual(['0:c-1', '1:acme']);
    expect(concurrencyKeys(undefined, run)).toEqual([]);
  });
});
