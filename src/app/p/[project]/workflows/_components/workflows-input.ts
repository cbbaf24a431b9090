// The "Trigger run" form's checks, run in the browser before anything is sent (the server checks
// the same again): the input must be JSON and follow the version's inputSchema, metadata rows
// must be distinct string keys. Pure.
import { z } from 'zod';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** The JSON Schema turned into zod once per schema (the server validates with the same conversion). */
export function compileInputSchema(schema: Record<string, unknown> | undefined): z.ZodType | null {
  if (!schema) return null;
  try {
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return null; // A schema zod cannot read: leave the check to the server.
  }
}

export function checkRunInput(text: string, schema: z.ZodType | null): Checked<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Invalid JSON: ${(error as Error).message}` };
  }
  if (!schema) return { ok: true, value };
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value }
    : { ok: false, error: `Does not match the workflow's input schema:\n${z.prettifyError(result.error)}` };
}

export interface MetadataRow {
  key: string;
  value: string;
}

export const MAX_METADATA_VALUE = 1000;

/** Rows with an empty key and value are ignored; a value without a key, a repeated key or a value over 1,000 characters is an error. */
export function metadataFromRows(rows: readonly MetadataRow[]): Checked<Record<string, string> | undefined> {
  const out: Record<string, string> = {};
  for (const { key: rawKey, value } of rows) {
    const key = rawKey.trim();
    if (!key && !value) continue;
    if (!key) return { ok: false, error: `Metadata value "${value.slice(0, 40)}" has no key` };
    if (Object.hasOwn(out, key)) return { ok: false, error: `Metadata key "${key}" is given twice` };
    if (value.length > MAX_METADATA_VALUE) return { ok: false, error: `Metadata "${key}" is longer than ${MAX_METADATA_VALUE} characters` };
    out[key] = value;
  }
  return { ok: true, value: Object.keys(out).length > 0 ? out : undefined };
}

/** A starting value for the input editor: the schema's required properties with empty values, else `{}`. */
export function exampleInput(schema: Record<string, unknown> | undefined): string {
  const value = exampleOf(schema, 0);
  return JSON.stringify(value === undefined ? {} : value, null, 2);
}

function exampleOf(schema: unknown, depth: number): unknown {
  if (!schema || typeof schema !== 'object' || depth > 4) return undefined;
  const s = schema as Record<string, unknown>;
  if ('default' in s) return s.default;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if ('const' in s) return s.const;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      return Object.fromEntries(required.filter((k) => k in properties).map((k) => [k, exampleOf(properties[k], depth + 1) ?? null]));
    }
    case 'array':
      return [];
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return undefined;
  }
}
