// Templates in a step's `with` values, Hatchet-style: "Hello {{ .user.name }}". Only paths are
// supported (no functions, pipelines or conditionals): `.a.b` reads the run input (`.input.a.b`
// is the same), `.steps.<id>.a` reads the output of an earlier step of the same job.

/** One piece of a template string: literal text, or a `{{ .path }}` reference. */
export type TemplatePart = { text: string } | { source: string; path: string[] };

const OPEN = '{{';
const CLOSE = '}}';
/** The inside of `{{ … }}`: "." alone, or dot-separated segments (an array index is a segment of digits). */
const EXPRESSION = /^\.(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)?$/;

export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

/** Splits `text` into literal text and references; throws TemplateSyntaxError saying what is wrong. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf(OPEN, at);
    if (open < 0) {
      parts.push({ text: text.slice(at) });
      break;
    }
    if (open > at) parts.push({ text: text.slice(at, open) });
    const close = text.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) throw new TemplateSyntaxError(`unclosed "{{" at character ${open + 1}: close it with "}}"`);
    const source = text.slice(open, close + CLOSE.length);
    const expression = text.slice(open + OPEN.length, close).trim();
    if (!EXPRESSION.test(expression)) {
      throw new TemplateSyntaxError(
        `${source} is not a supported template: use a path starting with a dot, e.g. {{ .user.email }} or {{ .steps.<stepId>.field }} (no functions or pipelines)`,
      );
    }
    const path = expression === '.' ? [] : expression.slice(1).split('.');
    if (path[0] === 'steps' && path.length < 2) {
      throw new TemplateSyntaxError(`${source} must name a step: {{ .steps.<stepId> }} or {{ .steps.<stepId>.field }}`);
    }
    parts.push({ source, path });
    at = close + CLOSE.length;
  }
  return parts;
}

/** Whether `text` contains a template at all (strings without one are taken literally). */
export function hasTemplate(text: string): boolean {
  return text.includes(OPEN);
}

/** Every string inside a `with` value, with its path below `with`. */
export function* templateStrings(value: unknown, path: (string | number)[] = []): Generator<{ text: string; path: (string | number)[] }> {
  if (typeof value === 'string') {
    if (hasTemplate(value)) yield { text: value, path };
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* templateStrings(item, [...path, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* templateStrings(item, [...path, key]);
  }
}

/** The step ids a template string reads with `{{ .steps.<id>… }}` (empty when it does not parse). */
export function referencedSteps(text: string): string[] {
  try {
    return parseTemplate(text).flatMap((part) => ('path' in part && part.path[0] === 'steps' ? [part.path[1]!] : []));
  } catch {
    return [];
  }
}

/** What templates read: the run input, and the outputs of earlier steps of the job by step id. */
export interface TemplateScope {
  input: unknown;
  stepOutput(stepId: string): unknown;
}

/** A template read a path that is not there; the step fails with it (retrying would not help). */
export class TemplateValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateValueError';
  }
}

/**
 * `value` with every template filled in. A string that is exactly one `{{ … }}` becomes the value
 * it reads (keeping its type); templates inside longer strings are stringified (objects as JSON).
 * `where` names the value in errors, e.g. `with.message`.
 */
export function renderTemplates(value: unknown, scope: TemplateScope, where = 'with'): unknown {
  if (typeof value === 'string') return hasTemplate(value) ? renderString(value, scope, where) : value;
  if (Array.isArray(value)) return value.map((item, i) => renderTemplates(item, scope, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderTemplates(item, scope, `${where}.${key}`)]));
  }
  return value;
}

function renderString(text: string, scope: TemplateScope, where: string): unknown {
  const parts = parseTemplate(text);
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only && 'path' in only) return resolve(only, scope, where);
  return parts.map((part) => ('path' in part ? stringify(resolve(part, scope, where)) : part.text)).join('');
}

function resolve(ref: { source: string; path: string[] }, scope: TemplateScope, where: string): unknown {
  const [head, ...rest] = ref.path;
  let current: unknown;
  let walked: string;
  let what: string;
  let path: string[];
  if (head === 'steps') {
    const [stepId, ...below] = rest;
    current = scope.stepOutput(stepId!);
    walked = `.steps.${stepId}`;
    what = `the output of step '${stepId}'`;
    path = below;
  } else {
    current = scope.input;
    walked = head === 'input' ? '.input' : '';
    what = 'the run input';
    path = head === 'input' ? rest : ref.path;
  }
  for (const segment of path) {
    const next = child(current, segment);
    if (next === undefined) {
      const at = walked || '.';
      const found =
        current === null ? 'null' : Array.isArray(current) ? 'a list' : typeof current === 'object' ? 'an object' : `a ${typeof current}`;
      throw new TemplateValueError(
        `${where}: template ${ref.source} has no value: ${what} has no "${segment}" at ${at} (${at} is ${found})`,
      );
    }
    current = next;
    walked += `.${segment}`;
  }
  if (current === undefined) throw new TemplateValueError(`${where}: template ${ref.source} has no value: ${what} is missing`);
  return current;
}

/** Own properties and array indexes only: a template never reaches prototypes. */
function child(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) return /^\d+$/.test(segment) ? value[Number(segment)] : undefined;
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, segment)) return (value as Record<string, unknown>)[segment];
  return undefined;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
