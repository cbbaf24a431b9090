import { parse, type ParserPlugin } from '@babel/parser';
import type { File } from '@babel/types';
import { RewriteError } from './errors';

const TYPESCRIPT = /\.[cm]?ts$/;
const TSX = /\.tsx$/;
const JAVASCRIPT = /\.(?:[cm]?js|jsx)$/;

/**
 * The parser plugins for a file, by extension. Plain .ts files get no `jsx`: TypeScript itself
 * forbids JSX there, and with it `<const>{ ... }` type assertions would not parse.
 */
function pluginsFor(path: string): ParserPlugin[] {
  if (TSX.test(path)) return ['typescript', 'jsx', 'decorators-legacy'];
  if (TYPESCRIPT.test(path)) return ['typescript', 'decorators-legacy'];
  if (JAVASCRIPT.test(path)) return ['jsx'];
  throw new RewriteError(
    'parse_error',
    `${path}: cannot rewrite this kind of file (expected .ts, .tsx, .mts, .cts, .js, .jsx, .mjs or .cjs)`,
  );
}

/** The syntax tree of `source`; node positions are UTF-16 offsets, lines 1-based, columns 0-based. */
export function parseSource(path: string, source: string): File {
  const plugins = pluginsFor(path);
  try {
    return parse(source, { sourceType: 'unambiguous', plugins, errorRecovery: false });
  } catch (error) {
    throw new RewriteError('parse_error', `${path}: cannot parse the file${describeSyntaxError(error)}`);
  }
}

function describeSyntaxError(error: unknown): string {
  if (!(error instanceof Error)) return `: ${String(error)}`;
  const loc = (error as Error & { loc?: { line: number; column: number } }).loc;
  const reason = error.message.replace(/ \(\d+:\d+\)$/, '');
  return loc ? ` at line ${loc.line}, column ${loc.column + 1}: ${reason}` : `: ${reason}`;
}
