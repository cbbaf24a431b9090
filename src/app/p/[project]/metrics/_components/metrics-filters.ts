// The Metrics page's view lives in the URL: ?range=1h|24h|7d&workflow=<name>&task=<name> (pure).
import { parseMetricsRange, type MetricsRange } from '@/server/metrics/range';

export interface MetricsFilters {
  range: MetricsRange;
  workflow?: string;
  /** Only with a workflow. */
  task?: string;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined> | null;

function read(params: Params, key: string): string | undefined {
  if (!params) return undefined;
  const value = params instanceof URLSearchParams ? params.get(key) : params[key];
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.length <= 200 ? text : undefined;
}

export function parseMetricsFilters(params: Params): MetricsFilters {
  const workflow = read(params, 'workflow');
  const task = workflow ? read(params, 'task') : undefined;
  return { range: parseMetricsRange(read(params, 'range')), ...(workflow ? { workflow } : {}), ...(task ? { task } : {}) };
}

export function metricsQueryString(filters: MetricsFilters): string {
  const params = new URLSearchParams({ range: filters.range });
  if (filters.workflow) params.set('workflow', filters.workflow);
  if (filters.workflow && filters.task) params.set('task', filters.task);
  return `?${params}`;
}

/** The tRPC input for these filters (same object on the server's prefetch and in the browser, so the cache is shared). */
export function metricsInput(project: string, filters: MetricsFilters) {
  return {
    project,
    range: filters.range,
    ...(filters.workflow ? { workflow: filters.workflow } : {}),
    ...(filters.task ? { task: filters.task } : {}),
  };
}
