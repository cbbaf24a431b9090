import { describe, expect, it } from 'vitest';
import { parseUsageRange, usageRangeInput } from './usage-range';

const now = Date.parse('2026-03-10T12:34:56.789Z');

describe('usage page range', () => {
  it('defaults to the last 7 days, from the minute', () => {
    expect(parseUsageRange({}, now)).toEqual({ key: '7d', from: '2026-03-03T12:34:00.000Z', to: null });
    expect(parseUsageRange({ range: 'nonsense' }, now).key).toBe('7d');
  });

  it('reads presets and "all"', () => {
    expect(parseUsageRange({ range: '24h' }, now)).toEqual({ key: '24h', from: '2026-03-09T12:34:00.000Z', to: null });
    expect(parseUsageRange({ range: 'all' }, now)).toEqual({ key: 'all', from: null, to: null });
    expect(usageRangeInput(parseUsageRange({ range: 'all' }, now))).toEqual({});
  });

  it('reads custom dates (whole UTC days, both included) and ignores invalid ones', () => {
    const range = parseUsageRange({ from: '2026-01-01', to: '2026-01-31' }, now);
    expect(range).toEqual({ key: 'custom', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
    expect(usageRangeInput(range)).toEqual({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') });
    expect(parseUsageRange({ from: 'yesterday' }, now).key).toBe('7d');
    expect(parseUsageRange({ to: ['2026-01-31', 'x'] }, now)).toEqual({ key: 'custom', from: null, to: '2026-02-01T00:00:00.000Z' });
    expect(parseUsageRange({ from: '2026-01-01T10:00:00Z' }, now).from).toBe('2026-01-01T10:00:00.000Z');
  });
});
