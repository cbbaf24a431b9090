// Pure: the "Try on more runs" dialog's fields turned into a `whatIf.start` request, and a stored
// report turned back into those fields (to re-run it with other values).
import type { ReportRule } from '@/server/what-if/checks';
import { MAX_RULE_MAX_LENGTH, MAX_RULE_PATTERN_LENGTH, MAX_WHAT_IF_RULES, MAX_WHAT_IF_RUNS } from '@/server/shared/limits';
import type { RunStatusName } from '@/server/shared/statuses';
import {
  editorKind,
  valueToText,
  variantOverrides,
  type VariableLike,
  type VariantCheck,
} from '../../runs/[id]/playground/[task]/_components/playground-values';
import { compactFilters, META_PARAM_PREFIX, parseRunFilters, type RunFilters } from '../../runs/_components/run-filters';

/** The runs-list filters that choose source runs: the workflow is always the playground's. */
export type SourceFilter = Omit<RunFilters, 'workflow'>;

export type RuleKind = ReportRule['kind'];
export const RULE_KINDS: Array<{ kind: RuleKind; label: string }> = [
  { kind: 'maxLength', label: 'Max length' },
  { kind: 'mustMatch', label: 'Must match /re/' },
  { kind: 'mustNotMatch', label: 'Must not match /re/' },
];
/** A rule as typed: `text` is the length for maxLength, the pattern otherwise. */
export interface RuleDraft {
  kind: RuleKind;
  text: string;
  flags: string;
}

export type RulesCheck = { ok: true; rules: ReportRule[] } | { ok: false; errors: Record<number, string> };

/** The typed rules as the server takes them, or why each bad one is refused (by its index). */
export function checkRules(drafts: readonly RuleDraft[]): RulesCheck {
  const rules: ReportRule[] = [];
  const errors: Record<number, string> = {};
  drafts.forEach((draft, i) => {
    const text = draft.text.trim();
    if (draft.kind === 'maxLength') {
      const value = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > MAX_RULE_MAX_LENGTH)
        errors[i] = 'A whole number of characters, 1 or more';
      else rules.push({ kind: 'maxLength', value });
      return;
    }
    if (!draft.text) return void (errors[i] = 'Type a regular expression');
    if (draft.text.length > MAX_RULE_PATTERN_LENGTH) return void (errors[i] = `At most ${MAX_RULE_PATTERN_LENGTH} characters`);
    if (!/^[imsu]*$/.test(draft.flags) || draft.flags.length > 4) return void (errors[i] = 'Flags: i, m, s, u');
    try {
      new RegExp(draft.text, draft.flags);
    } catch (err) {
      return void (errors[i] = `Not a valid regular expression: ${(err as Error).message}`);
    }
    rules.push({ kind: draft.kind, pattern: draft.text, flags: draft.flags });
  });
  if (drafts.length > MAX_WHAT_IF_RULES) errors[MAX_WHAT_IF_RULES] = `At most ${MAX_WHAT_IF_RULES} rules`;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, rules };
}

export function rulesToDrafts(rules: readonly ReportRule[]): RuleDraft[] {
  return rules.map((r) =>
    r.kind === 'maxLength' ? { kind: r.kind, text: String(r.value), flags: '' } : { kind: r.kind, text: r.pattern, flags: r.flags },
  );
}

/**
 * A report's stored filter as the dialog's fields, read the way the runs list reads its URL
 * (anything malformed is dropped). Playground runs are never sources, so that trigger is dropped too.
 */
export function sourceFilterFromStored(stored: unknown): SourceFilter {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {};
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    if (key === 'meta' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) if (typeof v === 'string') params[`${META_PARAM_PREFIX}${k}`] = v;
    } else if (typeof value === 'string' && key !== 'workflow') params[key] = value;
  }
  const { workflow: _workflow, ...filter } = parseRunFilters(params);
  if (filter.trigger === 'PLAYGROUND' || filter.trigger === 'ALL') delete filter.trigger;
  return filter;
}

/** The `sources` of a start request: the filter (workflow left to the server), or the runs picked. */
export function startSources(choice: { by: 'filter'; filter: SourceFilter } | { by: 'hand'; runIds: readonly string[] }) {
  if (choice.by === 'hand') return { runIds: [...choice.runIds] };
  const { workflow: _workflow, ...filter } = compactFilters(choice.filter);
  return { filter };
}

/** The `runs.list` input that counts (and lists) a filter's runs of the workflow. */
export function sourceListInput(workflow: string, filter: SourceFilter) {
  return { ...compactFilters({ ...filter, workflow }), limit: MAX_WHAT_IF_RUNS };
}

interface CountsLike {
  counts: Record<RunStatusName, number>;
  capped: RunStatusName[];
  total: number;
}

/** How many runs a filter matches (the runs list's counts leave the status out, so it is picked here). */
export function matchingCount(page: CountsLike, status: RunStatusName | undefined): { count: number; atLeast: boolean } {
  if (status) return { count: page.counts[status], atLeast: page.capped.includes(status) };
  return { count: page.total, atLeast: page.capped.length > 0 };
}

/** "8 runs match", "1 run matches", "10,000+ runs match". */
export function matchText({ count, atLeast }: { count: number; atLeast: boolean }): string {
  return `${count.toLocaleString('en')}${atLeast ? '+' : ''} ${count === 1 && !atLeast ? 'run matches' : 'runs match'}`;
}

/** A report's values as variables edited against themselves: a string stays text, anything else JSON of the same type. */
export function valuesAsVariables(values: Record<string, unknown>): VariableLike[] {
  return Object.entries(values).map(([name, value]) => ({ name, defaultValue: value, stale: false }));
}

/** The editor texts of some values (strings as they are, the rest pretty JSON). */
export function valueTexts(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, valueToText(editorKind(value), value)]));
}

/** Edited texts back into values, or why one cannot be sent (by name). */
export function checkValueTexts(reference: Record<string, unknown>, texts: Readonly<Record<string, string>>): VariantCheck {
  return variantOverrides(valuesAsVariables(reference), texts);
}
