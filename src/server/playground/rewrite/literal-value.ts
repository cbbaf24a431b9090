import type { Expression, Node, ObjectExpression } from '@babel/types';
import type { Json } from './json-value';

/** The JSON value a literal expression stands for, or the sub-expression that makes it not a literal. */
export type Evaluation = { ok: true; value: Json } | { ok: false; culprit: Node; reason: string };

const WRAPPERS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSTypeAssertion',
  'TSNonNullExpression',
  'ParenthesizedExpression',
  'TypeCastExpression',
]);

/** `x as const`, `x satisfies T`, `<T>x`, `x!`, `(x)` → `x`: the expression a rewrite replaces. */
export function unwrapExpression(node: Expression): Expression {
  let current: Node = node;
  while (WRAPPERS.has(current.type)) current = (current as { expression: Expression }).expression;
  return current as Expression;
}

/** Evaluates a string, number, boolean, null, or an array or object of these, without running code. */
export function evaluateLiteral(input: Node): Evaluation {
  const node = WRAPPERS.has(input.type) ? unwrapExpression(input as Expression) : input;
  switch (node.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
      return { ok: true, value: node.value };
    case 'NullLiteral':
      return { ok: true, value: null };
    case 'TemplateLiteral':
      if (node.expressions.length > 0) return fail(node, 'a template literal with ${…} substitutions');
      return { ok: true, value: node.quasis[0]!.value.cooked ?? '' };
    case 'UnaryExpression': {
      const argument = unwrapExpression(node.argument);
      if (node.operator === '-' && argument.type === 'NumericLiteral') return { ok: true, value: -argument.value };
      return fail(node, 'a unary expression');
    }
    case 'ArrayExpression': {
      const items: Json[] = [];
      for (const element of node.elements) {
        if (element === null) return fail(node, 'an array with a hole');
        const item = evaluateLiteral(element);
        if (!item.ok) return item;
        items.push(item.value);
      }
      return { ok: true, value: items };
    }
    case 'ObjectExpression':
      return evaluateObject(node);
    default:
      return fail(node, describeExpression(node));
  }
}

function evaluateObject(node: ObjectExpression): Evaluation {
  const result: { [key: string]: Json } = {};
  for (const property of node.properties) {
    if (property.type === 'SpreadElement') return fail(property, 'an object spread');
    if (property.type === 'ObjectMethod') return fail(property, 'a method');
    if (property.shorthand) return fail(property, `a reference to \`${propertyKey(property.key) ?? '?'}\``);
    const key = property.computed ? computedKey(property.key) : propertyKey(property.key);
    if (key === null) return fail(property.key, 'a computed key');
    // A plain `__proto__: x` sets the prototype instead of adding a key.
    if (key === '__proto__' && !property.computed) return fail(property.key, 'a __proto__ key');
    const item = evaluateLiteral(property.value);
    if (!item.ok) return item;
    Object.defineProperty(result, key, { value: item.value, enumerable: true, writable: true, configurable: true });
  }
  return { ok: true, value: result };
}

function propertyKey(key: Node): string | null {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  return null;
}

function computedKey(key: Node): string | null {
  const evaluated = key.type === 'StringLiteral' || key.type === 'TemplateLiteral' ? evaluateLiteral(key) : null;
  return evaluated?.ok && typeof evaluated.value === 'string' ? evaluated.value : null;
}

function fail(culprit: Node, reason: string): Evaluation {
  return { ok: false, culprit, reason };
}

const DESCRIPTIONS: Record<string, string> = {
  Identifier: 'a variable reference',
  CallExpression: 'a function call',
  OptionalCallExpression: 'a function call',
  NewExpression: 'a constructor call',
  AwaitExpression: 'an await expression',
  BinaryExpression: 'a binary expression',
  LogicalExpression: 'a logical expression',
  ConditionalExpression: 'a conditional expression',
  MemberExpression: 'a property access',
  OptionalMemberExpression: 'a property access',
  TaggedTemplateExpression: 'a tagged template',
  ArrowFunctionExpression: 'a function',
  FunctionExpression: 'a function',
  ClassExpression: 'a class',
  RegExpLiteral: 'a regular expression',
  BigIntLiteral: 'a bigint',
  JSXElement: 'a JSX element',
  JSXFragment: 'a JSX fragment',
  SequenceExpression: 'a comma expression',
  AssignmentExpression: 'an assignment',
  ThisExpression: '`this`',
};

/** A short description of what kind of expression `node` is, for error messages. */
function describeExpression(node: Node): string {
  return DESCRIPTIONS[node.type] ?? `an expression of type ${node.type}`;
}
