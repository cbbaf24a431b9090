type ParamGetter = { get(name: string): string | null };

/** `?version=3` of a workflow's page; anything but a positive integer means the latest version. */
export function parseVersionParam(source: ParamGetter | Record<string, string | string[] | undefined>): number | undefined {
  const raw = typeof source.get === 'function' ? (source as ParamGetter).get('version') : (source as Record<string, unknown>).version;
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string' || !/^[1-9]\d{0,8}$/.test(text)) return undefined;
  return Number(text);
}

/** The exact `workflows.get` input: server prefetch and client must build the same query key. */
export function workflowGetInput(project: string, name: string, version: number | undefined) {
  return { project, name, ...(version ? { version } : {}) };
}
