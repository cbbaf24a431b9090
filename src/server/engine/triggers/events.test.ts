import { describe, expect, it } from 'vitest';
import { listEventsQuerySchema, pushEventRequestSchema } from '@whetstone/sdk/contract';
import { eventKeyMatches, matchingWorkflows } from './events';

const wf = (name: string, ...onEvents: string[]) => ({ name, onEvents });

describe('event key matching', () => {
  it('matches an exact key, and only that key', () => {
    expect(eventKeyMatches('ticket:created', 'ticket:created')).toBe(true);
    expect(eventKeyMatches('ticket:closed', 'ticket:created')).toBe(false);
    expect(eventKeyMatches('ticket:created:x', 'ticket:created')).toBe(false);
    expect(eventKeyMatches('Ticket:created', 'ticket:created')).toBe(false); // case-sensitive
  });

  it('`*` matches within a segment but does not cross `/`', () => {
    expect(eventKeyMatches('ticket:created', 'ticket:*')).toBe(true);
    expect(eventKeyMatches('ticket:a:b', 'ticket:*')).toBe(true);
    expect(eventKeyMatches('ticket:.hidden', 'ticket:*')).toBe(true);
    expect(eventKeyMatches('ticket', 'ticket:*')).toBe(false);
    expect(eventKeyMatches('order:created', 'ticket:*')).toBe(false);
    expect(eventKeyMatches('orders/eu', 'orders/*')).toBe(true);
    expect(eventKeyMatches('orders/eu/created', 'orders/*')).toBe(false);
    expect(eventKeyMatches('user.signed-up', '*.signed-up')).toBe(true);
    expect(eventKeyMatches('a/user.signed-up', '*.signed-up')).toBe(false);
  });

  it('`**` as a whole segment crosses `/`', () => {
    expect(eventKeyMatches('orders/eu/created', 'orders/**')).toBe(true);
    expect(eventKeyMatches('orders/eu', 'orders/**')).toBe(true);
    expect(eventKeyMatches('a/b/created', '**/created')).toBe(true);
    expect(eventKeyMatches('created', '**/created')).toBe(true);
    expect(eventKeyMatches('anything/at/all', '**')).toBe(true);
    expect(eventKeyMatches('invoices/eu/created', 'orders/**')).toBe(false);
    // inside a segment `**` is just `*`
    expect(eventKeyMatches('ticket:a/b', 'ticket:**')).toBe(false);
  });

  it('supports ?, classes and alternatives; !, (, +, @ are plain characters', () => {
    expect(eventKeyMatches('v1:ping', 'v?:ping')).toBe(true);
    expect(eventKeyMatches('ticket:created', '{ticket,order}:created')).toBe(true);
    expect(eventKeyMatches('order:created', '{ticket,order}:created')).toBe(true);
    expect(eventKeyMatches('invoice:created', '{ticket,order}:created')).toBe(false);
    expect(eventKeyMatches('p1', 'p[0-9]')).toBe(true);
    expect(eventKeyMatches('anything', '!ticket')).toBe(false); // no negation
    expect(eventKeyMatches('!ticket', '!ticket')).toBe(true);
    expect(eventKeyMatches('a+(b)', 'a+(b)')).toBe(true); // no extglobs
  });

  it('never throws on odd patterns', () => {
    for (const pattern of ['', '[', '{', '\\', 'a[b']) expect(() => eventKeyMatches('a', pattern)).not.toThrow();
  });
});

describe('matchingWorkflows', () => {
  const workflows = [
    wf('any-ticket', 'ticket:*'),
    wf('ticket-created', 'ticket:created'),
    wf('orders', 'order:*', 'orders/**'),
    wf('no-triggers'),
    wf('several', 'nope', 'ticket:closed', 'ticket:*'),
  ];

  it('returns every workflow with a matching pattern, in the given order, once each', () => {
    expect(matchingWorkflows('ticket:created', workflows)).toEqual(['any-ticket', 'ticket-created', 'several']);
    expect(matchingWorkflows('ticket:closed', workflows)).toEqual(['any-ticket', 'several']);
    expect(matchingWorkflows('orders/eu/paid', workflows)).toEqual(['orders']);
  });

  it('returns nothing when nothing matches', () => {
    expect(matchingWorkflows('invoice:paid', workflows)).toEqual([]);
    expect(matchingWorkflows('ticket:created', [])).toEqual([]);
  });
});

describe('events wire contract', () => {
  it('refuses a pushed key with wildcards or a bad length, with a clear message', () => {
    expect(pushEventRequestSchema.parse({ key: 'ticket:created' })).toEqual({ key: 'ticket:created', payload: {} });
    for (const key of ['ticket:*', 'ticket:?', 'ticket:[ab]', 'ticket:{a,b}']) {
      const result = pushEventRequestSchema.safeParse({ key, payload: {} });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toContain('wildcard');
    }
    expect(pushEventRequestSchema.safeParse({ key: '' }).success).toBe(false);
    expect(pushEventRequestSchema.safeParse({ key: 'k'.repeat(201) }).success).toBe(false);
    expect(pushEventRequestSchema.safeParse({ key: 'k'.repeat(200) }).success).toBe(true);
  });

  it('accepts any JSON payload', () => {
    for (const payload of [{ a: 1 }, [1, 2], 'text', 3, null, true]) {
      expect(pushEventRequestSchema.parse({ key: 'k', payload }).payload).toEqual(payload);
    }
  });

  it('defaults and bounds the list query', () => {
    expect(listEventsQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(listEventsQuerySchema.parse({ limit: '10' }).limit).toBe(10);
    expect(listEventsQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(listEventsQuerySchema.safeParse({ limit: '101' }).success).toBe(false);
  });
});
