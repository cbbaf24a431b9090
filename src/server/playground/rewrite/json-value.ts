import { RewriteError } from './errors';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Throws `invalid_value` unless `value` is plain JSON (finite numbers, no undefined, no cycles). */
export function assertJson(value: unknown, label: string): asserts value is Json {
  const problem = jsonProblem(value, '$', new Set());
  if (problem) throw new RewriteError('invalid_value', `${label}: the new value is not JSON: ${problem}`);
}

function jsonProblem(value: unknown, at: string, open: Set<object>): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${at} is ${value}`;
  if (typeof value !== 'object') return `${at} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`;
  if (open.has(value)) return `${at} refers back to itself`;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null)
    return `${at} is a ${value.constructor?.name ?? 'non-plain'} object`;
  open.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) return `${at}[${i}] is a hole`;
        const problem = jsonProblem(value[i], `${at}[${i}]`, open);
        if (problem) return problem;
      }
      return null;
    }
    for (const [key, item] of Object.entries(value)) {
      const problem = jsonProblem(item, `${at}.${key}`, open);
      if (problem) return problem;
    }
    return null;
  } finally {
    open.delete(value);
  }
}

/** Deep equality of two JSON values; object key order counts, since it shows in the source. */
export function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]!));
  }
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  return aKeys.length === bKeys.length && aKeys.every((key, i) => key === bKeys[i] && sameJson(a[key]!, b[key]!));
}
