import { describe, expect, it } from 'vitest';
import { formatUntil, localInputToIso, toLocalInput } from './schedules-time';

describe('formatUntil', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const later = (ms: number) => new Date(now + ms);
  it('counts down in the largest sensible units', () => {
    expect(formatUntil(later(-5), now)).toBe('due now');
    expect(formatUntil(later(0), now)).toBe('due now');
    expect(formatUntil(later(1_400), now)).toBe('in 2 s');
    expect(formatUntil(later(5 * 60_000 + 10_000), now)).toBe('in 5 min');
    expect(formatUntil(later(3 * 3600_000), now)).toBe('in 3 h');
    expect(formatUntil(later(3 * 3600_000 + 20 * 60_000), now)).toBe('in 3 h 20 min');
    expect(formatUntil(later(50 * 3600_000), now)).toBe('in 2 d 2 h');
    expect(formatUntil(later(48 * 3600_000), now)).toBe('in 2 d');
  });
});

describe('datetime-local values', () => {
  it('round-trip through ISO instants in local time', () => {
    const ms = new Date(2030, 4, 6, 7, 8).getTime();
    expect(toLocalInput(ms)).toBe('2030-05-06T07:08');
    expect(localInputToIso(toLocalInput(ms))).toBe(new Date(ms).toISOString());
  });
  it('refuses incomplete values', () => {
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('2030-05-06')).toBeNull();
    expect(localInputToIso('2030-13-45T99:99')).toBeNull();
  });
});
