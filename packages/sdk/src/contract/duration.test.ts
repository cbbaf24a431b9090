import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration';
import { cronProblem, nextCronTimes } from './cron';

describe('parseDuration (Go-style, as in Hatchet)', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['1m0.5s', 60_500],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '30', '-5s', '5 m', '1h 30m', '5sec', 'ms', '0s'])('refuses %j with a clear message', (text) => {
    expect(() => parseDuration(text)).toThrow(/Invalid duration/);
  });
});

describe('cron expressions (cron-parser)', () => {
  it('accepts 5 and 6 fields and computes the next times in UTC', () => {
    expect(cronProblem('*/15 * * * *')).toBeNull();
    expect(cronProblem('*/5 * * * * *')).toBeNull();
    const from = new Date('2026-11-21T10:07:00Z');
    expect(nextCronTimes('*/15 * * * *', 2, from).map((d) => d.toISOString())).toEqual([
      '2026-11-21T10:15:00.000Z',
      '2026-11-21T10:30:00.000Z',
    ]);
  });

  it('names the problem', () => {
    expect(cronProblem('61 * * * *')).toMatch(/^Invalid cron expression "61 \* \* \* \*": .*61/);
    expect(cronProblem('* * *')).toMatch(/expected 5 fields .* got 3/);
    expect(cronProblem('')).toMatch(/empty/);
  });
});
