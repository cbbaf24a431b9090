import { describe, expect, it } from 'vitest';
import { eventFiltersQuery, eventListInput, filterForPattern, parseEventFilters } from './events-filters';

const ID = '0192f1c4-0b7e-7a3c-9d2e-1234567890ab';

describe('events page URL state', () => {
  it('reads key, match and id from a query and writes the same query back', () => {
    const filters = parseEventFilters(new URLSearchParams(`key=ticket%3A&match=prefix&id=${ID}`));
    expect(filters).toEqual({ key: 'ticket:', match: 'prefix', id: ID });
    expect(eventFiltersQuery(filters)).toBe(`?key=ticket%3A&match=prefix&id=${ID}`);
    expect(parseEventFilters(new URLSearchParams(eventFiltersQuery(filters).slice(1)))).toEqual(filters);
  });

  it('ignores what the server would refuse and defaults to an exact match', () => {
    expect(parseEventFilters({ key: 'k'.repeat(201), id: 'not-a-uuid', match: 'glob' })).toEqual({ match: 'exact' });
    expect(parseEventFilters({ key: ['a', 'b'] })).toEqual({ key: 'a', match: 'exact' });
    expect(eventFiltersQuery({ match: 'prefix' })).toBe('');
  });

  it('builds the list input: the match only counts with a key', () => {
    expect(eventListInput({ match: 'prefix' })).toEqual({ keyMatch: 'exact', limit: 50 });
    expect(eventListInput({ key: 'a:', match: 'prefix', id: ID })).toEqual({ key: 'a:', keyMatch: 'prefix', limit: 50 });
  });

  it('turns onEvents patterns into a key filter when one can express them', () => {
    expect(filterForPattern('ticket:created')).toEqual({ key: 'ticket:created', match: 'exact' });
    expect(filterForPattern('ticket:*')).toEqual({ key: 'ticket:', match: 'prefix' });
    expect(filterForPattern('*')).toEqual({ match: 'exact' });
    expect(filterForPattern('orders/**')).toBeNull();
    expect(filterForPattern('a?b*')).toBeNull();
    expect(filterForPattern('{a,b}')).toBeNull();
  });
});
