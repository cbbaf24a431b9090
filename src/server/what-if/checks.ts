// Pure: output checks typed in a what-if report, evaluated on a task's output (old and new).
import { z } from 'zod';
import { MAX_RULE_MAX_LENGTH, MAX_RULE_PATTERN_LENGTH, MAX_WHAT_IF_RULES } from '@/server/shared/limits';

/** Outputs longer than this are checked on their first this-many characters (keeps a user regex cheap). */
const MAX_CHECKED_CHARS = 100_000;

export const reportRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('maxLength'), value: z.number().int().min(1).max(MAX_RULE_MAX_LENGTH) }),
  z.object({
    kind: z.enum(['mustMatch', 'mustNotMatch']),
    pattern: z.string().min(1).max(MAX_RULE_PATTERN_LENGTH),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'flags: i, m, s, u')
      .max(4)
      .default(''),
  }),
]);
export type ReportRule = z.infer<typeof reportRuleSchema>;
export const reportRulesSchema = z
  .array(reportRuleSchema)
  .max(MAX_WHAT_IF_RULES)
  .superRefine((rules, ctx) => {
    rules.forEach((rule, i) => {
      if (rule.kind === 'maxLength') return;
      try {
        new RegExp(rule.pattern, rule.flags);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: [i, 'pattern'], message: `not a valid regular expression: ${(err as Error).message}` });
      }
    });
  });

export interface CheckResult {
  name: string;
  passed: boolean;
}

/** The text a check reads: a string output as it is, anything else as JSON. */
export function outputText(output: unknown): string {
  const text = typeof output === 'string' ? output : (JSON.stringify(output ?? null) ?? 'null');
  return text.slice(0, MAX_CHECKED_CHARS);
}

export function ruleName(rule: ReportRule): string {
  if (rule.kind === 'maxLength') return `length ≤ ${rule.value}`;
  return `${rule.kind === 'mustMatch' ? 'matches' : 'does not match'} /${rule.pattern}/${rule.flags}`;
}

export function evaluateRules(rules: readonly ReportRule[], output: unknown): CheckResult[] {
  const text = outputText(output);
  return rules.map((rule) => {
    if (rule.kind === 'maxLength')
      return { name: ruleName(rule), passed: (typeof output === 'string' ? output.length : text.length) <= rule.value };
    const matched = new RegExp(rule.pattern, rule.flags).test(text);
    return { name: ruleName(rule), passed: rule.kind === 'mustMatch' ? matched : !matched };
  });
}
