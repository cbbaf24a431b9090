// Pure (no database): the dashboard's editors check overrides with the same rules the server does.

export type JsonTypeName = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

export function jsonTypeOf(value: unknown): JsonTypeName {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  return 'object';
}

/**
 * Why an override cannot replace a default, or null when it can: its JSON type must be the
 * default's (code written for a number breaks on a string). A null default takes any value.
 */
export function overrideTypeProblem(name: string, defaultValue: unknown, override: unknown): string | null {
  const expected = jsonTypeOf(defaultValue);
  const actual = jsonTypeOf(override);
  if (expected === 'null' || expected === actual) return null;
  return `'${name}' is ${article(expected)} in code; the new value is ${article(actual)}`;
}

function article(type: JsonTypeName): string {
  return type === 'null' ? 'null' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
