/** Stored metadata as the string map runs take (non-string values, which the API never stores, as JSON). */
export function metadataOf(stored: unknown): Record<string, string> | undefined {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return undefined;
  return Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}
