import { CronExpressionParser } from 'cron-parser';

/** Why `expression` is not a valid cron expression (5 fields, or 6 with seconds first), or null. */
export function cronProblem(expression: string): string | null {
  if (typeof expression !== 'string' || !expression.trim()) return 'Invalid cron expression "": it is empty';
  const fields = expression.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) {
    return `Invalid cron expression ${JSON.stringify(expression)}: expected 5 fields (minute hour day month weekday) or 6 with seconds first, got ${fields}`;
  }
  try {
    CronExpressionParser.parse(expression, { strict: false });
    return null;
  } catch (err) {
    return `Invalid cron expression ${JSON.stringify(expression)}: ${(err as Error).message}`;
  }
}

/** The next `count` times `expression` fires after `from` (UTC). */
export function nextCronTimes(expression: string, count = 1, from = new Date()): Date[] {
  const parsed = CronExpressionParser.parse(expression, { currentDate: from, tz: 'UTC' });
  return Array.from({ length: count }, () => parsed.next().toDate());
}
