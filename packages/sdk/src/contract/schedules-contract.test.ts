import { describe, expect, it } from 'vitest';
import { createCronRequestSchema, createScheduleRequestSchema, describeCronProblem, scheduleInfoSchema } from './schedules-contract';

describe('describeCronProblem', () => {
  it('accepts 5-field and 6-field (seconds first) expressions', () => {
    expect(describeCronProblem('* * * * * *')).toBeNull();
    expect(describeCronProblem('0 9 * * MON-FRI')).toBeNull();
    expect(describeCronProblem('*/15 * * * *')).toBeNull();
  });

  it('names the field at fault', () => {
    expect(describeCronProblem('61 * * * *')).toBe(
      'Invalid cron expression "61 * * * *": the minute field "61" is invalid (Constraint error, got value 61 expected range 0-59)',
    );
    expect(describeCronProblem('0 25 * * *')).toMatch(/^Invalid cron expression "0 25 \* \* \*": the hour field "25" is invalid \(/);
    expect(describeCronProblem('0 0 * 13 *')).toMatch(/the month field "13" is invalid/);
    expect(describeCronProblem('0 0 * * 9')).toMatch(/the day-of-week field "9" is invalid/);
    expect(describeCronProblem('75 * * * * *')).toMatch(/the second field "75" is invalid/);
    expect(describeCronProblem('* 75 * * * *')).toMatch(/the minute field "75" is invalid/);
  });

  it('says how many fields it expected', () => {
    expect(describeCronProblem('banana')).toBe(
      'Invalid cron expression "banana": expected 5 fields (minute hour day month weekday) or 6 with seconds first, got 1',
    );
    expect(describeCronProblem('')).toContain('it is empty');
  });

  it('keeps the parser message when only the combination is wrong', () => {
    expect(describeCronProblem('0 0 31 2 *')).toBe('Invalid cron expression "0 0 31 2 *": Invalid explicit day of month definition');
  });
});

describe('schedule request schemas', () => {
  it('refuses cron names that are not in the name alphabet', () => {
    expect(createCronRequestSchema.safeParse({ name: 'nightly-report', expression: '0 0 * * *' }).success).toBe(true);
    const bad = createCronRequestSchema.safeParse({ name: 'has space', expression: '0 0 * * *' });
    expect(bad.success).toBe(false);
  });

  it('defaults input to {}', () => {
    expect(createCronRequestSchema.parse({ name: 'n', expression: '* * * * *' }).input).toEqual({});
    expect(createScheduleRequestSchema.parse({ delaySeconds: 5 }).input).toEqual({});
  });

  it('needs exactly one of runAt and delaySeconds', () => {
    expect(createScheduleRequestSchema.safeParse({ runAt: '2030-01-01T00:00:00Z' }).success).toBe(true);
    expect(createScheduleRequestSchema.safeParse({}).success).toBe(false);
    const both = createScheduleRequestSchema.safeParse({ runAt: '2030-01-01T00:00:00Z', delaySeconds: 3 });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]?.message).toBe('give exactly one of runAt (an ISO 8601 date) and delaySeconds');
  });

  it('describes a schedule with nullable fields', () => {
    const info = {
      id: 'x',
      workflow: 'wf',
      kind: 'ONCE',
      source: 'API',
      name: null,
      expression: null,
      runAt: '2030-01-01T00:00:00.000Z',
      input: { a: 1 },
      additionalMetadata: null,
      priority: null,
      nextRunAt: '2030-01-01T00:00:00.000Z',
      lastFiredAt: null,
      firedAt: null,
      createdAt: '2029-01-01T00:00:00.000Z',
    };
    expect(scheduleInfoSchema.parse(info)).toEqual(info);
  });
});
