import { describe, expect, it } from 'vitest';
import { percentile, summarize, table } from './stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks the value at rank ceil(p/100 * n)', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([7], 99)).toBe(7);
  });

  it('refuses an empty list or a percentile outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(/empty/);
    expect(() => percentile([1, 2], 0)).toThrow(/\(0, 100\]/);
    expect(() => percentile([1, 2], 101)).toThrow(/\(0, 100\]/);
  });
});

describe('summarize', () => {
  it('sorts before ranking and rounds to 0.1', () => {
    const s = summarize([5, 1, 4, 2, 3, 1.04]);
    expect(s).toEqual({ n: 6, mean: 2.7, p50: 2, p95: 5, p99: 5, max: 5 });
  });

  it('gives NaNs for no values instead of throwing', () => {
    expect(summarize([]).p99).toBeNaN();
  });
});

describe('table', () => {
  it('pads the first column left-aligned and the others right-aligned, NaN as -', () => {
    const out = table(
      ['metric', 'value'],
      [
        ['a', 1.25],
        ['longer', Number.NaN],
      ],
    );
    expect(out.split('\n')).toEqual(['metric  value', '------  -----', 'a         1.3', 'longer      -']);
  });
});
