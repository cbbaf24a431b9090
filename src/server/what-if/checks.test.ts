import { describe, expect, it } from 'vitest';
import { evaluateRules, outputText, reportRulesSchema } from './checks';

describe('report rules', () => {
  const rules = reportRulesSchema.parse([
    { kind: 'maxLength', value: 10 },
    { kind: 'mustMatch', pattern: 'thank', flags: 'i' },
    { kind: 'mustNotMatch', pattern: 'refund' },
  ]);

  it('evaluates each rule on a string output', () => {
    expect(evaluateRules(rules, 'Thanks!')).toEqual([
      { name: 'length ≤ 10', passed: true },
      { name: 'matches /thank/i', passed: true },
      { name: 'does not match /refund/', passed: true },
    ]);
    expect(evaluateRules(rules, 'No refund for you, sorry').map((r) => r.passed)).toEqual([false, false, false]);
  });

  it('reads other outputs as JSON', () => {
    expect(outputText({ reply: 'hi' })).toBe('{"reply":"hi"}');
    expect(evaluateRules(rules, { reply: 'Thank you' }).map((r) => r.passed)).toEqual([false, true, true]);
  });

  it('refuses an invalid regular expression with its reason', () => {
    const parsed = reportRulesSchema.safeParse([{ kind: 'mustMatch', pattern: '(' }]);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toMatch(/^not a valid regular expression/);
  });
});
