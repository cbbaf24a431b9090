import { getBindingIdentifiers, type Node, type Statement, type VariableDeclarator } from '@babel/types';
import { ancestorsOf, type ParentMap } from './walk';

/** What a name refers to at some point in a file, as far as a rewrite cares. */
export type Binding =
  | { kind: 'variable'; declarationKind: string; declarator: VariableDeclarator }
  | { kind: 'destructured'; declarationKind: string; node: Node }
  | { kind: 'parameter' | 'function' | 'class' | 'enum' | 'catch parameter'; node: Node }
  | { kind: 'import'; source: string; node: Node };

/**
 * The declaration `name` refers to where `from` is, searching the enclosing scopes from the
 * innermost outwards (block, function parameters, loop heads, catch clauses, the module). Null when
 * the file does not declare it (a global).
 */
export function findBinding(name: string, from: Node, parents: ParentMap): Binding | null {
  for (const scope of ancestorsOf(from, parents)) {
    const binding = bindingInScope(scope, name);
    if (binding) return binding;
  }
  return null;
}

function bindingInScope(scope: Node, name: string): Binding | null {
  switch (scope.type) {
    case 'Program':
    case 'BlockStatement':
    case 'StaticBlock':
    case 'TSModuleBlock':
      return firstBinding(scope.body, name);
    case 'SwitchStatement':
      return firstBinding(
        scope.cases.flatMap((c) => c.consequent),
        name,
      );
    case 'ForStatement':
      return scope.init?.type === 'VariableDeclaration' ? bindingInStatement(scope.init, name) : null;
    case 'ForInStatement':
    case 'ForOfStatement':
      return scope.left.type === 'VariableDeclaration' ? bindingInStatement(scope.left, name) : null;
    case 'CatchClause':
      return scope.param && declares(scope.param, name) ? { kind: 'catch parameter', node: scope.param } : null;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod': {
      const param = scope.params.find((p) => declares(p, name));
      if (param) return { kind: 'parameter', node: param };
      if (scope.type === 'FunctionExpression' && scope.id?.name === name) return { kind: 'function', node: scope };
      return null;
    }
    case 'ClassExpression':
      return scope.id?.name === name ? { kind: 'class', node: scope } : null;
    default:
      return null;
  }
}

function firstBinding(statements: Statement[], name: string): Binding | null {
  for (const statement of statements) {
    const binding = bindingInStatement(statement, name);
    if (binding) return binding;
  }
  return null;
}

function bindingInStatement(statement: Node, name: string): Binding | null {
  switch (statement.type) {
    case 'VariableDeclaration':
      for (const declarator of statement.declarations) {
        if (declarator.id.type === 'Identifier' && declarator.id.name === name)
          return { kind: 'variable', declarationKind: statement.kind, declarator };
        if (declares(declarator.id, name)) return { kind: 'destructured', declarationKind: statement.kind, node: declarator };
      }
      return null;
    case 'ExportNamedDeclaration':
    case 'ExportDefaultDeclaration':
      return statement.declaration ? bindingInStatement(statement.declaration, name) : null;
    case 'FunctionDeclaration':
    case 'TSDeclareFunction':
      return statement.id?.name === name ? { kind: 'function', node: statement } : null;
    case 'ClassDeclaration':
      return statement.id?.name === name ? { kind: 'class', node: statement } : null;
    case 'TSEnumDeclaration':
      return statement.id.name === name ? { kind: 'enum', node: statement } : null;
    case 'ImportDeclaration': {
      const specifier = statement.specifiers.find((s) => s.local.name === name);
      return specifier ? { kind: 'import', source: statement.source.value, node: specifier } : null;
    }
    case 'TSImportEqualsDeclaration':
      if (statement.id.name !== name) return null;
      return {
        kind: 'import',
        source: statement.moduleReference.type === 'TSExternalModuleReference' ? statement.moduleReference.expression.value : 'a namespace',
        node: statement,
      };
    default:
      return null;
  }
}

function declares(pattern: Node, name: string): boolean {
  if (pattern.type === 'TSParameterProperty') return declares(pattern.parameter, name);
  return Object.hasOwn(getBindingIdentifiers(pattern), name);
}
