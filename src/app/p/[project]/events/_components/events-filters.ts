// The Events page's URL state: `?key=ticket:&match=prefix&id=<eventId>`. Pure, shared by the
// server page (prefetch) and the client view, so both build the same query keys.
import { EVENT_KEY_MAX_LENGTH } from '@whetstone/sdk/contract';

/** Events per page in the list. */
export const EVENTS_PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type KeyMatch = 'exact' | 'prefix';

export interface EventFilters {
  key?: string;
  /** How `key` matches; only meaningful with a key (default exact). */
  match: KeyMatch;
  /** The event whose detail is open. */
  id?: string;
}

type ParamGetter = { get(name: string): string | null };
type ParamSource = ParamGetter | Record<string, string | string[] | undefined>;

function read(source: ParamSource, name: string): string | undefined {
  const raw = typeof source.get === 'function' ? (source as ParamGetter).get(name) : (source as Record<string, unknown>)[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Filters from the URL; values the server would refuse (over-long key, non-uuid id) are ignored. */
export function parseEventFilters(source: ParamSource): EventFilters {
  const key = read(source, 'key');
  const id = read(source, 'id');
  return {
    ...(key && key.length <= EVENT_KEY_MAX_LENGTH ? { key } : {}),
    match: read(source, 'match') === 'prefix' ? 'prefix' : 'exact',
    ...(id && UUID.test(id) ? { id: id.toLowerCase() } : {}),
  };
}

/** The exact `events.list` input (without project) for some filters. */
export function eventListInput(filters: EventFilters): { key?: string; keyMatch: KeyMatch; limit: number } {
  return { ...(filters.key ? { key: filters.key } : {}), keyMatch: filters.key ? filters.match : 'exact', limit: EVENTS_PAGE_SIZE };
}

/** `?key=…&match=prefix&id=…` (or '') for some filters. */
export function eventFiltersQuery(filters: EventFilters): string {
  const params = new URLSearchParams();
  if (filters.key) {
    params.set('key', filters.key);
    if (filters.match === 'prefix') params.set('match', 'prefix');
  }
  if (filters.id) params.set('id', filters.id);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * The Events-page filter that shows the events an `onEvents` pattern matches, when a key filter
 * can express it: a plain key (exact) or a key ending in one `*` and no other wildcard (prefix).
 */
export function filterForPattern(pattern: string): Pick<EventFilters, 'key' | 'match'> | null {
  // '*' alone matches every key: no filter at all.
  const star = pattern.endsWith('*') && !pattern.endsWith('**') ? pattern.slice(0, -1) : pattern;
  if (/[*?[\]{}]/.test(star)) return null;
  if (star === pattern) return { key: pattern, match: 'exact' };
  return star.length > 0 ? { key: star, match: 'prefix' } : { match: 'exact' };
}
