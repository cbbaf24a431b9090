import { describe, expect, it } from 'vitest';
import {
  isFiltered,
  normalizeTime,
  parseMetadataPair,
  parseRunFilters,
  runFiltersQuery,
  runListInput,
  withoutTimeRange,
  type RunFilters,
} from './run-filters';

describe('parseRunFilters', () => {
  it('parses URLSearchParams and Next searchParams objects alike', () => {
    expect(parseRunFilters(new URLSearchParams('status=failed&workflow=support-reply'))).toEqual({
      status: 'FAILED',
      workflow: 'support-reply',
    });
    expect(parseRunFilters({ status: ['RUNNING', 'FAILED'], workflow: undefined })).toEqual({ status: 'RUNNING' });
    const url = 'since=24h&meta.customerId=c42&meta.plan=pro&q=refund%20%22charged%20twice%22';
    const expected: RunFilters = { since: '24h', meta: { customerId: 'c42', plan: 'pro' }, q: 'refund "charged twice"' };
    expect(parseRunFilters(new URLSearchParams(url))).toEqual(expected);
    expect(parseRunFilters(Object.fromEntries(new URLSearchParams(url)))).toEqual(expected);
  });

  it('ignores unknown statuses, presets, bad times and empty values', () => {
    expect(parseRunFilters(new URLSearchParams('status=EXPLODED&workflow=&since=2y&from=yesterday&q=%20%20'))).toEqual({});
    expect(parseRunFilters({})).toEqual({});
  });

  it('normalizes from/to to UTC ISO times; a preset wins over a custom range', () => {
    expect(parseRunFilters(new URLSearchParams('from=2026-01-02T03:04:05%2B02:00&to=2026-01-03'))).toEqual({
      from: '2026-01-02T01:04:05.000Z',
      to: '2026-01-03T00:00:00.000Z',
    });
    expect(parseRunFilters(new URLSearchParams('since=1h&from=2026-01-02T00:00:00Z'))).toEqual({ since: '1h' });
  });

  it('keeps metadata values with "=" and drops keys that are empty, repeated or too many', () => {
    expect(parseRunFilters(new URLSearchParams('meta.query=a%3Db&meta.=x&meta.k=1&meta.k=2')).meta).toEqual({ query: 'a=b', k: '1' });
    const many = Array.from({ length: 15 }, (_, i) => `meta.k${i}=v`).join('&');
    expect(Object.keys(parseRunFilters(new URLSearchParams(many)).meta!)).toHaveLength(10);
  });
});

describe('trigger filter', () => {
  it('reads one trigger source or ALL (any case); anything else means the default (all but playground)', () => {
    expect(parseRunFilters(new URLSearchParams('trigger=playground'))).toEqual({ trigger: 'PLAYGROUND' });
    expect(parseRunFilters(new URLSearchParams('trigger=ALL&trigger=API'))).toEqual({ trigger: 'ALL' });
    expect(parseRunFilters({ trigger: 'REPLAY' })).toEqual({ trigger: 'REPLAY' });
    expect(parseRunFilters(new URLSearchParams('trigger=webhook'))).toEqual({});
    expect(runFiltersQuery({ trigger: 'EVENT', status: 'FAILED' })).toBe('?status=FAILED&trigger=EVENT');
    expect(isFiltered({ trigger: 'ALL' })).toBe(true);
    expect(runListInput({ trigger: 'CRON' })).toEqual({ trigger: 'CRON', limit: 50 });
  });
});

describe('metadata pairs and times', () => {
  it('splits key=value at the first "=" and trims', () => {
    expect(parseMetadataPair(' customerId = c42 ')).toEqual(['customerId', 'c42']);
    expect(parseMetadataPair('expr=a=b')).toEqual(['expr', 'a=b']);
    expect(parseMetadataPair('empty=')).toEqual(['empty', '']);
    expect(parseMetadataPair('=c42')).toBeNull();
    expect(parseMetadataPair('customerId')).toBeNull();
  });
  it('normalizes times or gives undefined', () => {
    expect(normalizeTime('2026-05-01T10:00:00Z')).toBe('2026-05-01T10:00:00.000Z');
    expect(normalizeTime('not a time')).toBeUndefined();
    expect(normalizeTime(undefined)).toBeUndefined();
  });
});

describe('URL round trip and list input', () => {
  it('round-trips every filter through the query string', () => {
    const all: RunFilters = {
      status: 'CANCELLED',
      workflow: 'a b&c',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      meta: { customerId: 'c42', 'odd key&': 'v=1 & 2' },
      q: 'refund -"charged twice"',
      trigger: 'PLAYGROUND',
    };
    expect(parseRunFilters(new URLSearchParams(runFiltersQuery(all)))).toEqual(all);
    const preset: RunFilters = { since: '7d', meta: { plan: 'pro' } };
    expect(runFiltersQuery(preset)).toBe('?since=7d&meta.plan=pro');
    expect(parseRunFilters(new URLSearchParams(runFiltersQuery(preset)))).toEqual(preset);
    expect(runFiltersQuery({})).toBe('');
  });

  it('builds the list input without undefined keys or an empty meta (stable query keys)', () => {
    expect(runListInput({})).toEqual({ limit: 50 });
    expect(Object.keys(runListInput(parseRunFilters({ status: 'QUEUED' })))).toEqual(['status', 'limit']);
    expect(runListInput({ workflow: undefined, meta: {}, q: '' })).toEqual({ limit: 50 });
  });

  it('knows when anything filters, and drops the time range', () => {
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ meta: {} })).toBe(false);
    expect(isFiltered({ q: 'x' })).toBe(true);
    expect(withoutTimeRange({ since: '1h', from: 'a', to: 'b', q: 'x' })).toEqual({ q: 'x' });
  });
});
