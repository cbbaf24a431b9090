import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { findSourceMap, SourceMap } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A position in the user's source: path relative to the repository root, 1-based line and column. */
export interface Callsite {
  file: string;
  line: number;
  column: number;
}

/** One frame of a V8 stack trace, with an absolute path (or a specifier such as `node:fs`). */
export interface StackFrame {
  file: string;
  line: number;
  column: number;
}

const realPaths = new Map<string, string>();

// The SDK runs from dist/, but a process with source maps enabled reports its frames in src/.
// This file is src/context/callsite.ts (dist/context/callsite.js): the package is two folders up.
const SDK_PACKAGE = resolve(realPath(dirname(fileURLToPath(import.meta.url))), '../..');
const SDK_DIRS = [join(SDK_PACKAGE, 'src') + sep, join(SDK_PACKAGE, 'dist') + sep];

/**
 * Where the user's code called into the SDK: the first frame of a fresh stack outside the SDK,
 * mapped through source maps and made relative to the repository root. Null when unknown.
 */
export function captureCallsite(): Callsite | null {
  try {
    const frame = userFrame(new Error().stack ?? '', isSdkFile);
    if (!frame) return null;
    const original = originalPosition(frame);
    return { ...original, file: relativeToSourceRoot(original.file) };
  } catch {
    return null; // a call site is a nicety: never fail the task for it
  }
}

/** The frames of a V8 stack trace, top first (lines that are not frames are skipped). */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const raw of stack.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    // `at fn (file:1:2)`, `at file:1:2`, `at async fn (file:1:2)`, `at new X (file:1:2)`
    const match = /\((.+):(\d+):(\d+)\)$/.exec(line) ?? /^at (?:async )?(.+):(\d+):(\d+)$/.exec(line);
    if (!match) continue;
    frames.push({ file: toPath(match[1]!), line: Number(match[2]), column: Number(match[3]) });
  }
  return frames;
}

/** The first frame in user code: not in the SDK, not in Node's internals. */
export function userFrame(stack: string, isInternal: (file: string) => boolean): StackFrame | null {
  return parseStack(stack).find((frame) => isAbsolute(frame.file) && !isInternal(frame.file)) ?? null;
}

/** The SDK's own modules (src or dist, also through a node_modules symlink), but not the SDK's tests, which play the user. */
function isSdkFile(file: string): boolean {
  const real = realPath(file);
  return SDK_DIRS.some((dir) => real.startsWith(dir)) && !/\.test\.[cm]?[jt]s$/.test(file);
}

function realPath(file: string): string {
  let real = realPaths.get(file);
  if (real === undefined) {
    try {
      real = realpathSync(file);
    } catch {
      real = file;
    }
    realPaths.set(file, real);
  }
  return real;
}

function toPath(file: string): string {
  return file.startsWith('file://') ? fileURLToPath(file) : file;
}

const mapCache = new Map<string, SourceMap | null>();

/**
 * The original source position of a compiled .js position, through the file's source map (Node's
 * own when it loaded one, else the `//# sourceMappingURL` file read here: no flag needed).
 * Positions in other files (.ts under tsx: already mapped by the runtime) are returned as they are.
 */
export function originalPosition(frame: StackFrame): StackFrame {
  if (!/\.[cm]?js$/.test(frame.file)) return frame;
  const map = sourceMapOf(frame.file);
  if (!map) return frame;
  const entry = map.findEntry(frame.line - 1, frame.column - 1) as Partial<{
    originalSource: string;
    originalLine: number;
    originalColumn: number;
  }>;
  if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return frame;
  const source = entry.originalSource.startsWith('file://')
    ? fileURLToPath(entry.originalSource)
    : resolve(dirname(frame.file), entry.originalSource);
  return { file: source, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

function sourceMapOf(file: string): SourceMap | null {
  if (mapCache.has(file)) return mapCache.get(file)!;
  let map: SourceMap | null = null;
  try {
    map = findSourceMap(file) ?? readSourceMap(file);
  } catch {
    map = null;
  }
  mapCache.set(file, map);
  return map;
}

function readSourceMap(file: string): SourceMap | null {
  const code = readFileSync(file, 'utf8');
  const url = /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(code.trimEnd())?.[1];
  if (!url) return null;
  const inline = /^data:application\/json(?:;charset=[^;,]+)?;base64,(.*)$/.exec(url);
  const text = inline
    ? Buffer.from(inline[1]!, 'base64').toString('utf8')
    : readFileSync(resolve(dirname(file), decodeURIComponent(url)), 'utf8');
  const payload = JSON.parse(text) as ConstructorParameters<typeof SourceMap>[0] & { sourceRoot?: string };
  // `sources` are relative to the map's sourceRoot; make them relative to the compiled file instead.
  if (payload.sourceRoot) payload.sources = payload.sources.map((s) => join(payload.sourceRoot!, s));
  return new SourceMap(payload);
}

const rootCache = new Map<string, string>();

/**
 * `file` relative to the repository root, with forward slashes: WHETSTONE_SOURCE_ROOT when set,
 * else the nearest ancestor holding `.git`, else the working directory. A file outside the root
 * keeps its absolute path.
 */
export function relativeToSourceRoot(file: string): string {
  const root = sourceRoot(file);
  const rel = relative(root, file);
  const path = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  return path.split(sep).join('/');
}

function sourceRoot(file: string): string {
  const configured = process.env.WHETSTONE_SOURCE_ROOT;
  if (configured) return resolve(configured);
  const start = dirname(file);
  const cached = rootCache.get(start);
  if (cached) return cached;
  let dir = start;
  let root = process.cwd();
  for (;;) {
    if (existsSync(join(dir, '.git'))) {
      root = dir;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  rootCache.set(start, root);
  return root;
}
