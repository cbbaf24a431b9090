import { parseExpression } from '@babel/parser';
import type { Expression, File, Node } from '@babel/types';
import { RewriteError } from './errors';
import { parseSource } from './parse';
import { walk, type ParentMap } from './walk';

/** A repository file the rewrite reads: a module (parsed) or a JSON document. */
export type SourceFile =
  | { kind: 'module'; path: string; source: string; ast: File; parents: ParentMap }
  | { kind: 'json'; path: string; source: string; root: Expression };

export function loadSourceFile(path: string, source: string, visit?: (node: Node) => void): SourceFile {
  if (path.endsWith('.json')) return { kind: 'json', path, source, root: parseJsonDocument(path, source) };
  const ast = parseSource(path, source);
  return { kind: 'module', path, source, ast, parents: walk(ast, visit ?? (() => {})) };
}

/** A JSON file as an expression tree with positions (Babel's parser reads JSON as a JavaScript literal). */
function parseJsonDocument(path: string, source: string): Expression {
  try {
    // A byte-order mark becomes a space of the same length, so offsets stay those of the file.
    return parseExpression(source.replace(/^\uFEFF/, ' '), { errorRecovery: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RewriteError('parse_error', `${path}: cannot parse the JSON file: ${reason}`);
  }
}
