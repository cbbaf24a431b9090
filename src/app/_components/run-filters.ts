import { RUN_STATUSES, type RunStatusName } from '@/server/routers/run-view';

/** Runs per page in the runs list. */
export const RUNS_PAGE_SIZE = 50;

export interface RunFilters {
  status?: RunStatusName;
  workflow?: string;
}

type ParamGetter = { get(name: string): string | null };
type ParamSource = ParamGetter | Record<string, string | string[] | undefined>;

const isGetter = (s: ParamSource): s is ParamGetter => typeof s.get === 'function';

function read(source: ParamSource, name: string): string | undefined {
  const raw = isGetter(source) ? source.get(name) : source[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Filters from the URL (`?status=FAILED&workflow=support-reply`); unknown values are ignored. */
export function parseRunFilters(source: ParamSource): RunFilters {
  const status = read(source, 'status')?.toUpperCase();
  const workflow = read(source, 'workflow');
  return {
    ...(status && (RUN_STATUSES as readonly string[]).includes(status) ? { status: status as RunStatusName } : {}),
    ...(workflow && workflow.length <= 200 ? { workflow } : {}),
  };
}

/** The exact `runs.list` input for some filters: server prefetch and client must build the same query key. */
export function runListInput(filters: RunFilters): RunFilters & { limit: number } {
  return { ...filters, limit: RUNS_PAGE_SIZE };
}

/** `?status=…&workflow=…` (or '' when unfiltered) for the current filters. */
export function runFiltersQuery(filters: RunFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.workflow) params.set('workflow', filters.workflow);
  const s = params.toString();
  return s ? `?${s}` : '';
}
