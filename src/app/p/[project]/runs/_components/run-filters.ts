import { TIME_PRESET_NAMES, TRIGGER_FILTERS, type TimePreset, type TriggerFilter } from '@/server/runs/view';
import {
  MAX_METADATA_FILTERS,
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_VALUE_LENGTH,
  MAX_SEARCH_LENGTH,
  MAX_WORKFLOW_NAME_LENGTH,
} from '@/server/shared/limits';
import { RUN_STATUSES, type RunStatusName } from '@/server/shared/statuses';

/** Runs per page in the runs list. */
export const RUNS_PAGE_SIZE = 50;

/**
 * The runs list's filters, as in the URL:
 * `?status=FAILED&workflow=support-reply&since=24h&meta.customerId=c42&q=refund&trigger=REPLAY`
 * (`from`/`to` ISO times instead of `since` for a custom range).
 */
export interface RunFilters {
  status?: RunStatusName;
  workflow?: string;
  /** Quick range relative to now; excludes from/to. */
  since?: TimePreset;
  /** ISO time (UTC), inclusive. */
  from?: string;
  /** ISO time (UTC), exclusive. */
  to?: string;
  /** additionalMetadata key → value, all must match. */
  meta?: Record<string, string>;
  /** Words searched in inputs and outputs (web-search syntax: "quoted phrase", -not, or). */
  q?: string;
  /** One trigger source, or ALL; none: every source but PLAYGROUND (playground runs are experiments). */
  trigger?: TriggerFilter;
}

export const META_PARAM_PREFIX = 'meta.';

type ParamGetter = { get(name: string): string | null; forEach(fn: (value: string, key: string) => void): void };
type ParamSource = ParamGetter | Record<string, string | string[] | undefined>;

const isGetter = (s: ParamSource): s is ParamGetter => typeof s.get === 'function';

function entriesOf(source: ParamSource): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (isGetter(source)) source.forEach((value, key) => out.push([key, value]));
  else {
    for (const [key, raw] of Object.entries(source)) {
      for (const value of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) out.push([key, value]);
    }
  }
  return out;
}

/** A valid ISO time normalized to UTC (`2026-01-02T03:04:05.000Z`), else undefined. */
export function normalizeTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** "customerId=c42" → ['customerId', 'c42'] (split at the first '='); null when there is no key or no '='. */
export function parseMetadataPair(text: string): [string, string] | null {
  const at = text.indexOf('=');
  if (at <= 0) return null;
  const key = text.slice(0, at).trim();
  const value = text.slice(at + 1).trim();
  if (!key || key.length > MAX_METADATA_KEY_LENGTH || value.length > MAX_METADATA_VALUE_LENGTH) return null;
  return [key, value];
}

/** Filters from the URL; unknown or malformed values are ignored (the first of repeated ones wins). */
export function parseRunFilters(source: ParamSource): RunFilters {
  const first = new Map<string, string>();
  const meta: Record<string, string> = {};
  for (const [key, value] of entriesOf(source)) {
    if (key.startsWith(META_PARAM_PREFIX)) {
      const name = key.slice(META_PARAM_PREFIX.length);
      const pair = parseMetadataPair(`${name}=${value}`);
      if (pair && !(pair[0] in meta) && Object.keys(meta).length < MAX_METADATA_FILTERS) meta[pair[0]] = pair[1];
    } else if (!first.has(key) && value !== '') first.set(key, value);
  }
  const status = first.get('status')?.toUpperCase();
  const workflow = first.get('workflow');
  const since = first.get('since');
  const q = first.get('q')?.trim();
  const trigger = first.get('trigger')?.toUpperCase();
  const filters: RunFilters = {};
  if (status && (RUN_STATUSES as readonly string[]).includes(status)) filters.status = status as RunStatusName;
  if (workflow && workflow.length <= MAX_WORKFLOW_NAME_LENGTH) filters.workflow = workflow;
  if (since && (TIME_PRESET_NAMES as string[]).includes(since)) filters.since = since as TimePreset;
  else {
    const from = normalizeTime(first.get('from'));
    const to = normalizeTime(first.get('to'));
    if (from) filters.from = from;
    if (to) filters.to = to;
  }
  if (Object.keys(meta).length > 0) filters.meta = meta;
  if (q && q.length <= MAX_SEARCH_LENGTH) filters.q = q;
  if (trigger && (TRIGGER_FILTERS as readonly string[]).includes(trigger)) filters.trigger = trigger as TriggerFilter;
  return filters;
}

/** `?status=…&workflow=…&since=…&meta.k=v&q=…&trigger=…` (or '' when unfiltered): the URL of a view. */
export function runFiltersQuery(filters: RunFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.workflow) params.set('workflow', filters.workflow);
  if (filters.since) params.set('since', filters.since);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  for (const [key, value] of Object.entries(filters.meta ?? {})) params.set(`${META_PARAM_PREFIX}${key}`, value);
  if (filters.q) params.set('q', filters.q);
  if (filters.trigger) params.set('trigger', filters.trigger);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Without undefined keys or an empty `meta`, so equal filters give equal query keys. */
export function compactFilters(filters: RunFilters): RunFilters {
  const out: RunFilters = {};
  for (const [key, value] of Object.entries(filters) as Array<[keyof RunFilters, unknown]>) {
    if (value === undefined || value === '') continue;
    if (key === 'meta' && Object.keys(value as object).length === 0) continue;
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** The exact `runs.list` input for some filters: server prefetch and client must build the same query key. */
export function runListInput(filters: RunFilters): RunFilters & { limit: number } {
  return { ...compactFilters(filters), limit: RUNS_PAGE_SIZE };
}

/** Does any filter narrow the list? */
export function isFiltered(filters: RunFilters): boolean {
  return Object.keys(compactFilters(filters)).length > 0;
}

/** The filters without the time range (choosing a preset or a custom range replaces the other). */
export function withoutTimeRange(filters: RunFilters): RunFilters {
  const { since: _since, from: _from, to: _to, ...rest } = filters;
  return rest;
}
