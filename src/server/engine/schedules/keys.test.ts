import { describe, expect, it } from 'vitest';
import { BadRequestError } from '@/server/errors';
import { cronFireTime, cronIdempotencyKey, onceIdempotencyKey, resolveRunAt } from './keys';

const ID = '0190a1b2-0000-7000-8000-000000000001';
const now = new Date('2030-06-01T12:00:00.000Z');

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    return (err as Error).message;
  }
  throw new Error('expected a BadRequestError');
}

describe('idempotency keys', () => {
  it('names a cron tick by schedule and fire time, and a one-off by schedule', () => {
    expect(cronIdempotencyKey(ID, new Date(1_900_000_000_000))).toBe(`cron:${ID}:2030-03-17T17:46:40.000Z`);
    expect(onceIdempotencyKey(ID)).toBe(`once:${ID}`);
  });

  it('takes the tick from the scheduler job id, so a re-delivered or late job keeps its key', () => {
    const tick = 1_900_000_001_000;
    const first = { id: `repeat:${ID}:${tick}`, timestamp: tick - 900, delay: 900, opts: { prevMillis: tick } };
    const redelivered = { ...first, timestamp: tick + 60_000, delay: 0 };
    expect(cronFireTime(first)).toBe(tick);
    expect(cronFireTime(redelivered)).toBe(tick);
  });

  it('falls back to prevMillis, then to when the job was due', () => {
    expect(cronFireTime({ id: 'other', opts: { prevMillis: 42_000 } })).toBe(42_000);
    expect(cronFireTime({ id: 'other', timestamp: 1000, delay: 500 })).toBe(1500);
  });
});

describe('resolveRunAt', () => {
  it('adds a delay to now', () => {
    expect(resolveRunAt({ delaySeconds: 1.5 }, now).toISOString()).toBe('2030-06-01T12:00:01.500Z');
  });

  it('refuses a delay that is not more than 0', () => {
    expect(refusal(() => resolveRunAt({ delaySeconds: 0 }, now))).toBe('delaySeconds must be a number greater than 0 (got 0)');
    expect(refusal(() => resolveRunAt({ delaySeconds: -5 }, now))).toBe('delaySeconds must be a number greater than 0 (got -5)');
    expect(refusal(() => resolveRunAt({ delaySeconds: Number.NaN }, now))).toContain('greater than 0');
  });

  it('accepts a future ISO date and refuses a past one, saying the server time', () => {
    expect(resolveRunAt({ runAt: '2030-06-01T13:00:00+01:00' }, new Date('2030-06-01T11:00:00Z')).toISOString()).toBe(
      '2030-06-01T12:00:00.000Z',
    );
    expect(refusal(() => resolveRunAt({ runAt: '2020-01-01T00:00:00Z' }, now))).toBe(
      'runAt 2020-01-01T00:00:00.000Z is in the past (server time 2030-06-01T12:00:00.000Z): pass a future date, or use delay(seconds)',
    );
    expect(refusal(() => resolveRunAt({ runAt: now.toISOString() }, now))).toContain('is in the past');
  });

  it('refuses dates without a time zone, nonsense, both or neither', () => {
    expect(refusal(() => resolveRunAt({ runAt: '2030-07-01T00:00:00' }, now))).toContain('is not an ISO 8601 date with a time zone');
    expect(refusal(() => resolveRunAt({ runAt: 'tomorrow' }, now))).toContain('is not an ISO 8601 date');
    expect(refusal(() => resolveRunAt({ runAt: '2030-07-01T00:00:00Z', delaySeconds: 1 }, now))).toBe(
      'Give exactly one of runAt (an ISO 8601 date) and delaySeconds',
    );
    expect(refusal(() => resolveRunAt({}, now))).toContain('exactly one');
  });

  it('refuses more than ten years ahead', () => {
    expect(refusal(() => resolveRunAt({ delaySeconds: 11 * 365 * 24 * 3600 }, now))).toContain('at most');
    expect(refusal(() => resolveRunAt({ runAt: '2045-01-01T00:00:00Z' }, now))).toContain('more than ten years ahead');
  });
});
