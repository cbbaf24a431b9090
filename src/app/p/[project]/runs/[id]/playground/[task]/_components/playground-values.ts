// Pure: the playground's editor texts, turned into the values a run sends (with the server's type rule).
import { jsonTypeOf, overrideTypeProblem } from '@/server/playground/json-type';

/** What a variable is edited as: strings as plain text (prompts), everything else as JSON. */
export type EditorKind = 'text' | 'json';

export interface VariableLike {
  name: string;
  defaultValue: unknown;
  sourceValue?: unknown;
  stale: boolean;
}

export type Check<T> = { ok: true; value: T } | { ok: false; error: string };

export function editorKind(defaultValue: unknown): EditorKind {
  return typeof defaultValue === 'string' ? 'text' : 'json';
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value, null, 2);
}

/** A value as its editor shows it: a string as it is in a text editor, anything else as pretty JSON. */
export function valueToText(kind: EditorKind, value: unknown): string {
  return kind === 'text' && typeof value === 'string' ? value : prettyJson(value);
}

/** The value an editor's text stands for, or why it cannot replace the variable's default. */
export function checkVariableText(variable: Pick<VariableLike, 'name' | 'defaultValue'>, text: string): Check<unknown> {
  if (editorKind(variable.defaultValue) === 'text') return { ok: true, value: text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const problem = overrideTypeProblem(variable.name, variable.defaultValue, value);
  return problem ? { ok: false, error: problem } : { ok: true, value };
}

/** Variables a run sends: the stale ones (the current code no longer reads them) are shown, never sent. */
export function editableVariables<V extends VariableLike>(variables: readonly V[]): V[] {
  return variables.filter((v) => !v.stale);
}

export function defaultText(variable: VariableLike): string {
  return valueToText(editorKind(variable.defaultValue), variable.defaultValue);
}

/** The source run's values (its default when it did not report one), as editor texts by name. */
export function sourceTexts(variables: readonly VariableLike[]): Record<string, string> {
  return Object.fromEntries(
    editableVariables(variables).map((v) => [
      v.name,
      valueToText(editorKind(v.defaultValue), v.sourceValue === undefined ? v.defaultValue : v.sourceValue),
    ]),
  );
}

/** The editor texts of a variant that ran with `overrides`: a variable it did not send ran with its default. */
export function textsFromOverrides(variables: readonly VariableLike[], overrides: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    editableVariables(variables).map((v) => [
      v.name,
      valueToText(editorKind(v.defaultValue), Object.hasOwn(overrides, v.name) ? overrides[v.name] : v.defaultValue),
    ]),
  );
}

export interface VariantCheck {
  overrides: Record<string, unknown>;
  /** Why a variable's text cannot be sent, by name; empty when the variant can run. */
  errors: Record<string, string>;
}

/** Every editable variable's value for one variant (explicit, even when it equals the default). */
export function variantOverrides(variables: readonly VariableLike[], texts: Readonly<Record<string, string>>): VariantCheck {
  const overrides: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const variable of editableVariables(variables)) {
    const check = checkVariableText(variable, texts[variable.name] ?? defaultText(variable));
    if (check.ok) overrides[variable.name] = check.value;
    else errors[variable.name] = check.error;
  }
  return { overrides, errors };
}

/** The input editor: valid JSON, and whether it differs from the source run's input (only then is it sent). */
export function checkInputText(text: string, sourceInput: unknown): Check<{ changed: boolean; input: unknown }> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { ok: true, value: { changed: !sameJson(input, sourceInput ?? null), input } };
}

/** Deep equality of JSON values (object key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const type = jsonTypeOf(a);
  if (type !== jsonTypeOf(b)) return false;
  if (type === 'array') {
    const x = a as unknown[];
    const y = b as unknown[];
    return x.length === y.length && x.every((item, i) => sameJson(item, y[i]));
  }
  if (type === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && sameJson(x[k], y[k]));
  }
  return false;
}

const SUMMARY_CHARS = 48;

/** "temperature = 0.2", "system_prompt = "You are a formal…"": the overrides that differ from the code's defaults. */
export function overridesSummary(overrides: Record<string, unknown>, variables: readonly VariableLike[]): string[] {
  const defaults = new Map(variables.map((v) => [v.name, v.defaultValue]));
  return Object.entries(overrides)
    .filter(([name, value]) => !defaults.has(name) || !sameJson(value, defaults.get(name)))
    .map(([name, value]) => `${name} = ${shorten(JSON.stringify(value) ?? 'null')}`);
}

function shorten(text: string): string {
  const oneLine = text.replace(/\\n|\s+/g, ' ');
  return oneLine.length > SUMMARY_CHARS ? `${oneLine.slice(0, SUMMARY_CHARS - 1)}…` : oneLine;
}

/** The demo's offline model signs every answer "— (offline demo model)": such outputs get a visible badge. */
export const OFFLINE_MODEL_MARK = '(offline demo model)';

export function fromOfflineModel(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(OFFLINE_MODEL_MARK);
  if (Array.isArray(value)) return value.some(fromOfflineModel);
  if (value && typeof value === 'object') return Object.values(value).some(fromOfflineModel);
  return false;
}
