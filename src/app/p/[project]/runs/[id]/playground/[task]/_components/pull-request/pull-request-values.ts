// Pure: which variants may become a pull request, as the page can tell before asking the server.
import { sameJson } from '../playground-values';

interface UsedValue {
  name: string;
  value: unknown;
  overridden: boolean;
}

interface CodeDefault {
  name: string;
  defaultValue: unknown;
}

/**
 * The variables a variant's task ran with another value than the default in code: the ones a pull
 * request would change (the server decides against the defaults it recorded; this only hides the
 * button where there is nothing to change).
 */
export function changedVariableNames(used: readonly UsedValue[], defaults: readonly CodeDefault[]): string[] {
  const byName = new Map(defaults.map((d) => [d.name, d.defaultValue]));
  return used.filter((v) => v.overridden && byName.has(v.name) && !sameJson(v.value, byName.get(v.name))).map((v) => v.name);
}

/** The first 7 characters of a commit sha, as GitHub shows it. */
export const shortSha = (sha: string) => sha.slice(0, 7);
