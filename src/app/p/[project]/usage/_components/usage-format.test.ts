import { describe, expect, it } from 'vitest';
import { formatCost, formatTokens, formatUsd } from './usage-format';

describe('usage formatting', () => {
  it('formats dollars with a precision that fits the amount', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(1)).toBe('$1.00');
    expect(formatUsd(0.0123456)).toBe('$0.0123');
    expect(formatUsd(0.01)).toBe('$0.0100');
    expect(formatUsd(0.00043512)).toBe('$0.000435');
    expect(formatUsd(0.0000009)).toBe('$0.0000009');
    expect(formatUsd(Number.NaN)).toBe('—');
  });

  it('formats token counts and partial or unknown costs', () => {
    expect(formatTokens(1234567)).toBe('1,234,567');
    expect(formatCost({ costUsd: null, unpricedCalls: 2 })).toBe('unknown price');
    expect(formatCost({ costUsd: 0.5, unpricedCalls: 1 })).toBe('$0.5000 + unknown');
    expect(formatCost({ costUsd: 2, unpricedCalls: 0 })).toBe('$2.00');
  });
});
