/**
 * What PostgreSQL (and JSON.stringify) cannot take, checked once for every REST body (apiRoute)
 * and every tRPC mutation input (a middleware in trpc.ts), before anything stores or stringifies it:
 *
 * - a string or key containing U+0000 (jsonb and text columns refuse it),
 * - a string or key with a lone UTF-16 surrogate (not valid Unicode; Postgres refuses its escape),
 * - nesting deeper than MAX_JSON_DEPTH arrays/objects (JSON.stringify and zod recurse, and overflow the stack).
 *
 * The walk is iterative, so a 10 000-level document is refused, not a stack overflow.
 */
export const MAX_JSON_DEPTH = 100;

export interface JsonProblem {
  /** Where: `input.items[2].name`, `metadata["a b"]`, or `body` for the value itself. */
  path: string;
  problem: string;
}

type Segment = string | number;

/** The first problem found in `value` (depth-first, in document order), or null when it is safe to store. */
export function unsafeJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  // Each entry: a value, its parent entry's path and its own segment (paths are built only when reporting).
  const stack: { value: unknown; depth: number; path: Segment[] }[] = [{ value, depth: 0, path: [] }];
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = stringProblem(current);
      if (problem) return { path: formatJsonPath(path), problem: `string ${problem}` };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) {
      return { path: formatJsonPath(path), problem: `is nested more than ${maxDepth} levels deep (the limit for JSON documents)` };
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], depth: depth + 1, path: [...path, i] });
      continue;
    }
    const entries = Object.entries(current as Record<string, unknown>);
    for (const [key] of entries) {
      const problem = stringProblem(key);
      if (problem) return { path: formatJsonPath(path), problem: `has a key that ${problem}` };
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      stack.push({ value: child, depth: depth + 1, path: [...path, key] });
    }
  }
  return null;
}

function stringProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate (not valid Unicode), which cannot be stored';
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `["input", "items", 2, "name"]` → `input.items[2].name`; `[]` → `body`. */
export function formatJsonPath(path: readonly Segment[], root = 'body'): string {
  if (path.length === 0) return root;
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment.replaceAll('\u0000', '\uFFFD').replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}]`;
  }
  return out;
}

/** The message of the 400 both transports answer with. */
export function describeJsonProblem(problem: JsonProblem): string {
  return `Invalid request: ${problem.path} ${problem.problem}`;
}
