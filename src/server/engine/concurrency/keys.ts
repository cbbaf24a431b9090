import type { Concurrency } from '@whetstone/sdk/contract';

/** Longest key stored: a longer value is cut (keys only group runs). */
const MAX_KEY_LENGTH = 200;

/**
 * The value of a key expression (`input.customerId`, `additionalMetadata.tenant`) for a run, as
 * text: strings as they are, other values as JSON, a missing value as ''.
 */
export function evaluateKey(expression: string, run: { input: unknown; additionalMetadata: unknown }): string {
  const [root, ...path] = expression.split('.');
  let value: unknown = root === 'input' ? run.input : run.additionalMetadata;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return '';
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.slice(0, MAX_KEY_LENGTH);
}

/**
 * One stored key per concurrency rule: `<rule index>:<value>`, so two rules never share a group
 * (rule 0 on customer 'a' and rule 1 on tenant 'a' are different groups).
 */
export function concurrencyKeys(rules: readonly Concurrency[] | undefined, run: { input: unknown; additionalMetadata: unknown }): string[] {
  return (rules ?? []).map((rule, i) => `${i}:${evaluateKey(rule.expression, run)}`);
}
