import { describe, expect, it } from 'vitest';
import { elapsedMs, formatAbsolute, formatDuration, formatRelative, formatSize, toDisplayText, TRUNCATE_AT, truncateText } from './format';

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [undefined, '—'],
    [-5, '—'],
    [Number.NaN, '—'],
    [0, '0 ms'],
    [850, '850 ms'],
    [999, '999 ms'],
    [1000, '1.00 s'],
    [1234, '1.23 s'],
    [9999, '9.99 s'],
    [12_345, '12.3 s'],
    [59_999, '59.9 s'],
    [60_000, '1m 0s'],
    [75_000, '1m 15s'],
    [3_600_000, '1h 0m'],
    [7_380_000, '2h 3m'],
    [90_000_000, '1d 1h'],
  ])('%s → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('elapsedMs', () => {
  const start = new Date('2026-01-01T00:00:00Z');
  it('is null before start', () => expect(elapsedMs(null, null, 5)).toBeNull());
  it('uses finish when finished', () => expect(elapsedMs(start, new Date(start.getTime() + 1500), start.getTime() + 99_999)).toBe(1500));
  it('ticks with now while running', () => expect(elapsedMs(start, null, start.getTime() + 2500)).toBe(2500));
  it('never goes negative (clock skew)', () => expect(elapsedMs(start, null, start.getTime() - 10)).toBe(0));
});

describe('formatRelative', () => {
  const now = new Date('2026-06-15T12:00:00').getTime();
  const ago = (ms: number) => new Date(now - ms);
  it.each([
    [0, 'just now'],
    [-3000, 'just now'],
    [4_999, 'just now'],
    [42_000, '42 s ago'],
    [5 * 60_000, '5 min ago'],
    [3 * 3_600_000, '3 h ago'],
    [2 * 86_400_000, '2 d ago'],
  ])('%s ms ago → %s', (ms, expected) => expect(formatRelative(ago(ms), now)).toBe(expected));
  it('falls back to a date past 30 days', () => {
    expect(formatRelative(new Date('2026-01-02T10:00:00'), now)).toBe('2026-01-02');
  });
});

it('formatAbsolute pads every field', () => {
  expect(formatAbsolute(new Date(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02 03:04:05');
});

describe('toDisplayText', () => {
  it('keeps strings raw (LLM text, HTML) and pretty-prints the rest', () => {
    expect(toDisplayText('<b>hi</b>\nthere')).toBe('<b>hi</b>\nthere');
    expect(toDisplayText({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(toDisplayText(null)).toBe('null');
    expect(toDisplayText(undefined)).toBe('');
  });
  it('does not throw on values JSON cannot encode', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(toDisplayText(cyclic)).toBe('[object Object]');
    expect(toDisplayText(10n)).toBe('10');
  });
});

describe('truncateText', () => {
  it('leaves short text alone', () => {
    expect(truncateText('abc', 5)).toEqual({ text: 'abc', truncated: false, hidden: 0 });
    expect(truncateText('abcde', 5)).toEqual({ text: 'abcde', truncated: false, hidden: 0 });
  });
  it('cuts long text and counts what is hidden', () => {
    expect(truncateText('abcdefgh', 5)).toEqual({ text: 'abcde', truncated: true, hidden: 3 });
  });
  it('never splits a surrogate pair', () => {
    const r = truncateText('ab😀cd', 3);
    expect(r.text).toBe('ab');
    expect(r.hidden).toBe(4);
  });
  it('defaults to 20 KB', () => {
    const big = 'x'.repeat(TRUNCATE_AT + 10);
    expect(TRUNCATE_AT).toBe(20_480);
    expect(truncateText(big)).toMatchObject({ truncated: true, hidden: 10 });
  });
});

it('formatSize', () => {
  expect([12, 20_480, 1_300_000].map(formatSize)).toEqual(['12 chars', '20 KB', '1.2 MB']);
});
