// additionalMetadata on the wire (run triggers, bulk triggers, events, schedules): a small string
// map stored with the run and copied into every task's context. Shared by SDK and server; imports
// nothing from contract.ts (which re-exports it), like the other contract modules.
import { z } from 'zod';

/** Most keys one additionalMetadata map may hold. */
export const MAX_METADATA_KEYS = 50;
/** Longest key, in characters. */
export const MAX_METADATA_KEY_LENGTH = 100;
/** Longest value, in characters. */
export const MAX_METADATA_VALUE_LENGTH = 1000;

/** A key as an error message shows it: at most 40 characters of it. */
function shown(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

/** `{ customerId: 'c42' }`: 1-100 character keys, values up to 1000 characters, at most 50 keys. */
export const metadataMapSchema = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  const keys = Object.keys(map);
  if (keys.length > MAX_METADATA_KEYS) {
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_METADATA_KEYS} keys (got ${keys.length})` });
    return;
  }
  for (const key of keys) {
    if (key.length === 0) ctx.addIssue({ code: 'custom', message: 'a key needs at least 1 character' });
    else if (key.length > MAX_METADATA_KEY_LENGTH)
      ctx.addIssue({
        code: 'custom',
        message: `key ${shown(key)} is ${key.length} characters; a key has at most ${MAX_METADATA_KEY_LENGTH}`,
      });
    else if (map[key]!.length > MAX_METADATA_VALUE_LENGTH)
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `a value has at most ${MAX_METADATA_VALUE_LENGTH} characters (got ${map[key]!.length})`,
      });
  }
});
