import { expect, it } from 'vitest';
import { parseRunFilters, runFiltersQuery, runListInput } from './run-filters';

it('parses URLSearchParams and Next searchParams objects alike', () => {
  expect(parseRunFilters(new URLSearchParams('status=failed&workflow=support-reply'))).toEqual({
    status: 'FAILED',
    workflow: 'support-reply',
  });
  expect(parseRunFilters({ status: ['RUNNING', 'FAILED'], workflow: undefined })).toEqual({ status: 'RUNNING' });
});

it('ignores unknown statuses and empty values', () => {
  expect(parseRunFilters(new URLSearchParams('status=EXPLODED&workflow='))).toEqual({});
  expect(parseRunFilters({})).toEqual({});
});

it('builds the list input without undefined keys (stable query keys)', () => {
  expect(runListInput({})).toEqual({ limit: 50 });
  expect(Object.keys(runListInput(parseRunFilters({ status: 'QUEUED' })))).toEqual(['status', 'limit']);
});

it('round-trips through the query string', () => {
  const f = { status: 'CANCELLED' as const, workflow: 'a b&c' };
  expect(parseRunFilters(new URLSearchParams(runFiltersQuery(f)))).toEqual(f);
  expect(runFiltersQuery({})).toBe('');
});
