import type { Expression, Node } from '@babel/types';
import { RewriteError } from './errors';
import { findBinding, type Binding } from './find-binding';
import type { PlaygroundCall } from './find-call';
import { evaluateLiteral, unwrapExpression } from './literal-value';
import type { Json } from './json-value';
import type { ParentMap } from './walk';

/** The literal expression a rewrite replaces, with the JSON value it holds now. */
export interface DefaultTarget {
  node: Expression;
  kind: 'argument' | 'const';
  value: Json;
}

interface Context {
  path: string;
  name: string;
  source: string;
  parents: ParentMap;
}

// `const A = B; const B = 'x'` is followed; a longer chain than this is surely a cycle.
const MAX_CONST_HOPS = 16;

/**
 * The default argument of `call`, through `as const` / `satisfies` / type assertions / parentheses,
 * and through identifiers to the initializer of the `const` they name. Anything that is not a
 * literal JSON value is refused with `unsupported_default`.
 */
export function resolveDefault(call: PlaygroundCall, context: Context): DefaultTarget {
  const label = `${context.path}:${call.loc!.start.line}: playground('${context.name}')`;
  const argument = call.arguments[1];
  if (!argument) throw unsupported(`${label} has no default value to rewrite`);
  if (argument.type === 'SpreadElement' || argument.type === 'ArgumentPlaceholder') {
    throw unsupported(`${label}: the default is a spread argument, not a literal value`);
  }
  let node = unwrapExpression(argument);
  let kind: DefaultTarget['kind'] = 'argument';
  let via = '';
  for (let hops = 0; node.type === 'Identifier'; hops++) {
    if (hops === MAX_CONST_HOPS) throw unsupported(`${label}: the default \`${node.name}\` goes through too many constants`);
    const binding = node.name === 'undefined' ? null : findBinding(node.name, node, context.parents);
    if (binding?.kind !== 'variable' || binding.declarationKind !== 'const') {
      throw unsupported(
        `${label}: the default is \`${node.name}\`, ${describeBinding(node.name, binding, context.source)}; only a const with a literal value can be rewritten`,
      );
    }
    const { declarator } = binding;
    const line = declarator.loc!.start.line;
    if (!declarator.init) throw unsupported(`${label}: the default is the const \`${node.name}\` (line ${line}), which has no initializer`);
    via = `the const \`${node.name}\` (line ${line}), whose value is `;
    node = unwrapExpression(declarator.init);
    kind = 'const';
  }
  const evaluation = evaluateLiteral(node);
  if (!evaluation.ok) {
    const { culprit, reason } = evaluation;
    const value =
      culprit === node
        ? `${snippet(node, context.source)} (${reason})`
        : `${snippet(node, context.source)}, with ${snippet(culprit, context.source)} (${reason}) inside it`;
    throw unsupported(
      `${label}: the default is ${via}${value}; only literal JSON values (strings, numbers, booleans, null, arrays and objects of these) can be rewritten`,
    );
  }
  return { node, kind, value: evaluation.value };
}

function describeBinding(name: string, binding: Binding | null, source: string): string {
  if (name === 'undefined') return 'which is not a JSON value';
  if (!binding) return 'which is not declared in this file';
  const line = binding.kind === 'variable' ? binding.declarator.loc!.start.line : binding.node.loc!.start.line;
  switch (binding.kind) {
    case 'variable':
      return `declared with ${binding.declarationKind} at line ${line}`;
    case 'destructured':
      return `destructured by a ${binding.declarationKind} at line ${line} from ${snippet((binding.node as { init?: Node }).init ?? binding.node, source)}`;
    case 'import':
      return `imported from '${binding.source}' at line ${line}`;
    default:
      return `a ${binding.kind} at line ${line}`;
  }
}

function snippet(node: Node, source: string): string {
  const text = source.slice(node.start!, node.end!).replace(/\s+/g, ' ');
  return `\`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\``;
}

function unsupported(message: string): RewriteError {
  return new RewriteError('unsupported_default', message);
}
