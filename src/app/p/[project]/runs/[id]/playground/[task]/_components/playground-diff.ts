// Pure: a word-level diff of a variant's output against the source task's output.
import { diffWords, diffWordsWithSpace, type Change } from 'diff';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export type OutputDiff =
  | { kind: 'diff'; parts: DiffPart[]; added: number; removed: number }
  /** Too big (or too different) to diff in the browser without freezing it. */
  | { kind: 'too-large' };

/** Above this many characters (both sides together) the outputs are not diffed. */
export const MAX_DIFF_CHARS = 100_000;
/** A diff that takes longer than this gives up (diff's own timeout). */
const DIFF_TIMEOUT_MS = 500;

/**
 * Pretty-printed JSON whose strings break their lines where the text does: `"Hi!\n` then a real
 * line break. An LLM's multi-line answer inside an object then reads (and diffs) as lines, not as
 * `\nThank` tokens.
 */
export function readableJson(value: unknown): string {
  // An escaped newline is `\n` preceded by an even run of backslashes (`\\n` is a backslash, then n).
  return (JSON.stringify(value ?? null, null, 2) ?? 'null').replace(/(?<!\\)((?:\\\\)*)\\n/g, '$1\\n\n');
}

/**
 * Strings are diffed word by word as text; anything else as readable pretty-printed JSON, with
 * whitespace as tokens so the indentation survives.
 */
export function outputDiff(before: unknown, after: unknown): OutputDiff {
  const bothText = typeof before === 'string' && typeof after === 'string';
  const oldText = bothText ? (before as string) : readableJson(before);
  const newText = bothText ? (after as string) : readableJson(after);
  if (oldText.length + newText.length > MAX_DIFF_CHARS) return { kind: 'too-large' };
  const changes: Change[] | undefined = bothText
    ? diffWords(oldText, newText, { timeout: DIFF_TIMEOUT_MS })
    : diffWordsWithSpace(oldText, newText, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) return { kind: 'too-large' };
  const parts = changes.map((c): DiffPart => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
  const words = (kind: DiffPart['kind']) => parts.filter((p) => p.kind === kind).reduce((n, p) => n + countWords(p.text), 0);
  return { kind: 'diff', parts, added: words('added'), removed: words('removed') };
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
