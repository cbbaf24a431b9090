import { describe, expect, it } from 'vitest';
import { metricsInput, metricsQueryString, parseMetricsFilters } from './metrics-filters';

describe('metrics filters in the URL', () => {
  it('reads the range (24h when missing or unknown), the workflow and its task', () => {
    expect(parseMetricsFilters(new URLSearchParams(''))).toEqual({ range: '24h' });
    expect(parseMetricsFilters(new URLSearchParams('range=5y'))).toEqual({ range: '24h' });
    expect(parseMetricsFilters({ range: '1h', workflow: 'support-reply', task: 'draft' })).toEqual({
      range: '1h',
      workflow: 'support-reply',
      task: 'draft',
    });
    expect(parseMetricsFilters({ range: '7d', task: 'draft' })).toEqual({ range: '7d' });
  });
  it('writes them back, and the same tRPC input on both sides', () => {
    expect(metricsQueryString({ range: '7d', workflow: 'a b', task: 't' })).toBe('?range=7d&workflow=a+b&task=t');
    const filters = parseMetricsFilters(new URLSearchParams(metricsQueryString({ range: '1h', workflow: 'wf' })));
    expect(metricsInput('default', filters)).toEqual({ project: 'default', range: '1h', workflow: 'wf' });
  });
});
