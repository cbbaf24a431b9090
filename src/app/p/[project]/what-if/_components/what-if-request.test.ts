import { describe, expect, it } from 'vitest';
import { MAX_WHAT_IF_RUNS } from '@/server/shared/limits';
import { filterPhrases, percentChange, valueLine } from './what-if-format';
import {
  checkRules,
  checkValueTexts,
  matchingCount,
  matchText,
  rulesToDrafts,
  sourceFilterFromStored,
  sourceListInput,
  startSources,
  valueTexts,
} from './what-if-request';

describe('checkRules', () => {
  it('turns typed rules into the server’s rules', () => {
    const check = checkRules([
      { kind: 'maxLength', text: ' 280 ', flags: '' },
      { kind: 'mustMatch', text: 'order #\\w+', flags: 'i' },
      { kind: 'mustNotMatch', text: 'lawyer', flags: '' },
    ]);
    expect(check).toEqual({
      ok: true,
      rules: [
        { kind: 'maxLength', value: 280 },
        { kind: 'mustMatch', pattern: 'order #\\w+', flags: 'i' },
        { kind: 'mustNotMatch', pattern: 'lawyer', flags: '' },
      ],
    });
    if (check.ok)
      expect(rulesToDrafts(check.rules)).toEqual([
        { kind: 'maxLength', text: '280', flags: '' },
        { kind: 'mustMatch', text: 'order #\\w+', flags: 'i' },
        { kind: 'mustNotMatch', text: 'lawyer', flags: '' },
      ]);
  });

  it('says why each bad rule is refused, by its position', () => {
    const check = checkRules([
      { kind: 'maxLength', text: '12.5', flags: '' },
      { kind: 'mustMatch', text: '(unclosed', flags: '' },
      { kind: 'mustNotMatch', text: 'ok', flags: 'g' },
      { kind: 'mustMatch', text: '', flags: '' },
      { kind: 'maxLength', text: '0', flags: '' },
    ]);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors)).toEqual(['0', '1', '2', '3', '4']);
    expect(check.errors[0]).toMatch(/whole number/);
    expect(check.errors[1]).toMatch(/^Not a valid regular expression/);
    expect(check.errors[2]).toBe('Flags: i, m, s, u');
    expect(check.errors[3]).toBe('Type a regular expression');
  });
});

describe('sources', () => {
  it('reads a stored filter back, dropping what the dialog cannot take', () => {
    expect(
      sourceFilterFromStored({
        status: 'FAILED',
        since: '24h',
        meta: { cohort: 'x', n: 3 },
        q: 'refund',
        workflow: 'other',
        trigger: 'PLAYGROUND',
        bogus: 'y',
      }),
    ).toEqual({ status: 'FAILED', since: '24h', meta: { cohort: 'x' }, q: 'refund' });
    expect(sourceFilterFromStored({ from: '2026-01-02T03:04:05+01:00', trigger: 'API' })).toEqual({
      from: '2026-01-02T02:04:05.000Z',
      trigger: 'API',
    });
    expect(sourceFilterFromStored(null)).toEqual({});
    expect(sourceFilterFromStored({ status: 'NOPE' })).toEqual({});
  });

  it('builds the start request’s sources and the count query', () => {
    expect(startSources({ by: 'filter', filter: { meta: {}, q: 'refund', status: undefined } })).toEqual({ filter: { q: 'refund' } });
    expect(startSources({ by: 'hand', runIds: ['a', 'b'] })).toEqual({ runIds: ['a', 'b'] });
    expect(sourceListInput('ticket-triage', { meta: { cohort: 'e2e' } })).toEqual({
      workflow: 'ticket-triage',
      meta: { cohort: 'e2e' },
      limit: MAX_WHAT_IF_RUNS,
    });
  });

  it('counts the matching runs: the status’s count when one is chosen, else the total', () => {
    const page = {
      counts: { QUEUED: 0, RUNNING: 1, SUCCEEDED: 10_000, FAILED: 3, CANCELLED: 0 },
      capped: ['SUCCEEDED' as const],
      total: 10_004,
    };
    expect(matchingCount(page, 'FAILED')).toEqual({ count: 3, atLeast: false });
    expect(matchingCount(page, undefined)).toEqual({ count: 10_004, atLeast: true });
    expect(matchText({ count: 1, atLeast: false })).toBe('1 run matches');
    expect(matchText({ count: 8, atLeast: false })).toBe('8 runs match');
    expect(matchText({ count: 10_004, atLeast: true })).toBe('10,004+ runs match');
  });
});

describe('format', () => {
  it('describes a filter in short phrases', () => {
    expect(filterPhrases({ status: 'FAILED', since: '7d', meta: { customerId: 'c42' }, q: 'refund' })).toEqual([
      'status failed',
      'last 7d',
      'customerId=c42',
      'search “refund”',
    ]);
    expect(filterPhrases({})).toEqual([]);
  });

  it('gives relative changes and one-line values', () => {
    expect(percentChange(1000, 750)).toBe('−25%');
    expect(percentChange(100, 112)).toBe('+12%');
    expect(percentChange(100, 100)).toBe('±0%');
    expect(percentChange(0, 5)).toBeNull();
    expect(percentChange(null, 5)).toBeNull();
    expect(valueLine('a\n  b')).toBe('a b');
    expect(valueLine({ t: 0.2 })).toBe('{"t":0.2}');
    expect(valueLine('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('values of a re-run', () => {
  const values = { system_prompt: 'Be brief.\nSign as Ada.', temperature: 0.2, tags: ['a'] };

  it('edits strings as text and the rest as JSON of the same type', () => {
    const texts = valueTexts(values);
    expect(texts).toEqual({ system_prompt: 'Be brief.\nSign as Ada.', temperature: '0.2', tags: '[\n  "a"\n]' });
    expect(checkValueTexts(values, { ...texts, system_prompt: 'Be formal.', temperature: '0.9' })).toEqual({
      overrides: { system_prompt: 'Be formal.', temperature: 0.9, tags: ['a'] },
      errors: {},
    });
  });

  it('refuses invalid JSON and a value of another type', () => {
    const check = checkValueTexts(values, { ...valueTexts(values), temperature: '"hot"', tags: '[' });
    expect(Object.keys(check.errors).sort()).toEqual(['tags', 'temperature']);
    expect(check.errors.tags).toMatch(/^Invalid JSON/);
  });
});
