import { getBindingIdentifiers, type Expression, type Node, type Program } from '@babel/types';
import { RewriteError } from './errors';
import { findBinding, type Binding } from './find-binding';
import type { PlaygroundCall } from './find-call';
import { evaluateLiteral, unwrapExpression } from './literal-value';
import type { Json } from './json-value';
import { ModuleNotFound, ModuleResolver } from './modules';
import { loadSourceFile, type SourceFile } from './source-file';

/** The literal expression a rewrite replaces (in the call's file or another one), with the JSON value it holds now. */
export interface DefaultTarget {
  file: SourceFile;
  node: Expression;
  /** The call's own argument; a const's initializer (or a member of it), here or in an imported module; a value in a JSON file. */
  kind: 'argument' | 'const' | 'json';
  value: Json;
}

/** Asks for a repository file by path; receives its text, or null when the repository has no such file. */
export type Reads<T> = Generator<string, T, string | null>;

// `const A = B; const B = A` and import cycles: a longer chain than this is surely a cycle.
const MAX_HOPS = 24;

const HINT_LITERAL =
  'move the value into a `const` with a literal value (in this file, an imported module or a JSON file) and pass that const, or edit the code by hand';

type Ref =
  | { kind: 'value'; file: SourceFile; node: Expression; target: DefaultTarget['kind']; via: string }
  | { kind: 'namespace'; file: SourceFile; via: string };

/**
 * Follows the default argument of `call` to the literal that holds it: through `as const` /
 * `satisfies` / type assertions / parentheses, identifiers naming a `const`, members of const object
 * literals (`PROMPTS.support`, `PROMPTS['support']`, nested), imports of other repository modules
 * (named, default, namespace, re-exports, `.js` specifiers, tsconfig `paths`) and of JSON files.
 * Anything else is refused with `unsupported_default`, naming the culprit and what to do instead.
 */
export class DefaultResolver {
  private readonly files = new Map<string, SourceFile | null>();
  private readonly modules: ModuleResolver;
  private hops = 0;

  constructor(
    private readonly label: string,
    private readonly options: { followImports: boolean },
  ) {
    this.modules = new ModuleResolver((path) => this.exists(path));
  }

  /** Registers the call's own file (already parsed). */
  addFile(file: SourceFile): void {
    this.files.set(file.path, file);
  }

  *resolve(call: PlaygroundCall, file: SourceFile): Reads<DefaultTarget> {
    const argument = call.arguments[1];
    if (!argument) throw unsupported(`${this.label} has no default value to rewrite: give the call a literal default`);
    if (argument.type === 'SpreadElement' || argument.type === 'ArgumentPlaceholder') {
      throw unsupported(`${this.label}: the default is a spread argument, not a literal value; ${HINT_LITERAL}`);
    }
    const ref = yield* this.expression(argument, file, 'argument', '');
    if (ref.kind === 'namespace') {
      throw unsupported(
        `${this.label}: the default is ${ref.via}the whole module ${ref.file.path}, not one value; pass one of its exports`,
      );
    }
    const evaluation = evaluateLiteral(ref.node);
    if (!evaluation.ok) {
      const { culprit, reason } = evaluation;
      const source = ref.file.source;
      const value =
        culprit === ref.node
          ? `${snippet(ref.node, source)} (${reason})`
          : `${snippet(ref.node, source)}, with ${snippet(culprit, source)} (${reason}) inside it`;
      throw unsupported(
        `${this.label}: the default is ${ref.via}${value}; only literal JSON values (strings, numbers, booleans, null, arrays and objects of these) can be rewritten: ${HINT_LITERAL}`,
      );
    }
    return { file: ref.file, node: ref.node, kind: ref.target, value: evaluation.value };
  }

  private hop(what: string): void {
    if (++this.hops > MAX_HOPS) throw unsupported(`${this.label}: the default \`${what}\` goes through too many constants`);
  }

  private *expression(input: Expression, file: SourceFile, target: DefaultTarget['kind'], via: string): Reads<Ref> {
    const node = unwrapExpression(input);
    if (node.type === 'Identifier' && file.kind === 'module') return yield* this.identifier(node.name, node, file, via);
    if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && file.kind === 'module') {
      const key = memberKey(node);
      if (key === null) {
        throw unsupported(
          `${this.label}: the default is ${via}${snippet(node, file.source)}, a property chosen at run time (${snippet(node.property, file.source)}); write the property name (\`.name\` or \`['name']\`)`,
        );
      }
      const object = yield* this.expression(node.object as Expression, file, target, via);
      return yield* this.member(object, key, snippet(node, file.source));
    }
    return { kind: 'value', file, node, target, via };
  }

  private *member(object: Ref, key: string, text: string): Reads<Ref> {
    this.hop(text);
    if (object.kind === 'namespace') return yield* this.exported(object.file, key, object.via);
    const { file, node } = object;
    const via = `${text} (${file.path}:${node.loc!.start.line}), whose value is `;
    if (node.type === 'ObjectExpression') {
      let found: Expression | null = null;
      for (const property of node.properties) {
        if (property.type === 'SpreadElement') {
          throw unsupported(
            `${this.label}: the default is ${text}, and the object it is read from (${file.path}:${node.loc!.start.line}) has a spread (${snippet(property, file.source)}): ${HINT_LITERAL}`,
          );
        }
        const name = property.computed ? computedName(property.key) : plainName(property.key);
        if (name !== key) continue;
        if (property.type === 'ObjectMethod') throw unsupported(`${this.label}: the default is ${text}, a method; ${HINT_LITERAL}`);
        found = property.value as Expression;
      }
      if (!found)
        throw unsupported(
          `${this.label}: the default is ${text}, but the object at ${file.path}:${node.loc!.start.line} has no property '${key}'`,
        );
      return yield* this.expression(found, file, object.target === 'argument' ? 'const' : object.target, via);
    }
    if (node.type === 'ArrayExpression' && /^(0|[1-9]\d*)$/.test(key)) {
      const element = node.elements[Number(key)];
      if (!element || element.type === 'SpreadElement')
        throw unsupported(
          `${this.label}: the default is ${text}, but the array at ${file.path}:${node.loc!.start.line} has no element ${key}`,
        );
      return yield* this.expression(element, file, object.target === 'argument' ? 'const' : object.target, via);
    }
    throw unsupported(
      `${this.label}: the default is ${text}, a property of ${snippet(node, file.source)} (${file.path}:${node.loc!.start.line}), which is not an object or array literal; ${HINT_LITERAL}`,
    );
  }

  private *identifier(name: string, node: Node, file: SourceFile & { kind: 'module' }, via: string): Reads<Ref> {
    this.hop(name);
    const binding = name === 'undefined' ? null : findBinding(name, node, file.parents);
    const where = file.path === this.callPath() ? '' : ` in ${file.path}`;
    if (binding?.kind === 'variable' && binding.declarationKind === 'const') {
      const { declarator } = binding;
      const line = declarator.loc!.start.line;
      if (!declarator.init)
        throw unsupported(`${this.label}: the default is ${via}the const \`${name}\`${where} (line ${line}), which has no initializer`);
      return yield* this.expression(declarator.init, file, 'const', `${via}the const \`${name}\`${where} (line ${line}), whose value is `);
    }
    if (binding?.kind === 'import' && this.options.followImports) return yield* this.imported(name, binding, file, via);
    throw unsupported(
      `${this.label}: the default is ${via}\`${name}\`${where}, ${describeBinding(name, binding, file.source)}; only a const with a literal value can be rewritten: ${hintFor(binding)}`,
    );
  }

  private *imported(name: string, binding: Binding & { kind: 'import' }, file: SourceFile & { kind: 'module' }, via: string): Reads<Ref> {
    const specifier = binding.node;
    const line = specifier.loc!.start.line;
    const label = `${via}\`${name}\`, imported from '${binding.source}' (${file.path}:${line})`;
    if (specifier.type === 'TSImportEqualsDeclaration')
      throw unsupported(`${this.label}: the default is ${label} with \`import =\`; use an ES import`);
    let path: string;
    try {
      path = yield* this.modules.resolve(file.path, binding.source);
    } catch (error) {
      if (error instanceof ModuleNotFound)
        throw unsupported(`${this.label}: the default is ${label}, but ${error.message}; keep the prompt in a file of this repository`);
      throw error;
    }
    const target = (yield* this.load(path))!;
    const next = via;
    if (specifier.type === 'ImportNamespaceSpecifier') return { kind: 'namespace', file: target, via: next };
    const exported = specifier.type === 'ImportDefaultSpecifier' ? 'default' : importedName(specifier);
    return yield* this.exported(target, exported, next);
  }

  /** The value `file` exports as `name`. */
  private *exported(file: SourceFile, name: string, via: string): Reads<Ref> {
    this.hop(name);
    if (file.kind === 'json') {
      if (name === 'default') return { kind: 'value', file, node: file.root, target: 'json', via };
      return yield* this.member({ kind: 'value', file, node: file.root, target: 'json', via }, name, `\`${name}\``);
    }
    const program: Program = file.ast.program;
    const stars: string[] = [];
    for (const statement of program.body) {
      if (statement.type === 'ExportNamedDeclaration') {
        const { declaration } = statement;
        if (declaration?.type === 'VariableDeclaration') {
          for (const declarator of declaration.declarations) {
            if (Object.hasOwn(getBindingIdentifiers(declarator.id), name)) return yield* this.identifier(name, declarator, file, via);
          }
        } else if (declaration && 'id' in declaration && declaration.id?.type === 'Identifier' && declaration.id.name === name) {
          throw unsupported(
            `${this.label}: the default is ${via}\`${name}\` (${file.path}:${declaration.loc!.start.line}), which is not a const with a literal value: ${HINT_LITERAL}`,
          );
        }
        for (const spec of statement.specifiers) {
          const exportedName = spec.exported.type === 'Identifier' ? spec.exported.name : spec.exported.value;
          if (exportedName !== name) continue;
          if (statement.source) {
            const path = yield* this.module(file, statement.source.value, via);
            const target = (yield* this.load(path))!;
            if (spec.type === 'ExportNamespaceSpecifier') return { kind: 'namespace', file: target, via };
            const local = spec.type === 'ExportDefaultSpecifier' ? 'default' : spec.local.name;
            return yield* this.exported(target, local, via);
          }
          if (spec.type === 'ExportSpecifier') return yield* this.identifier(spec.local.name, spec, file, via);
        }
      } else if (statement.type === 'ExportDefaultDeclaration' && name === 'default') {
        const declaration = statement.declaration;
        if (declaration.type.endsWith('Declaration')) {
          throw unsupported(
            `${this.label}: the default is ${via}the default export of ${file.path}, which is not a literal value: ${HINT_LITERAL}`,
          );
        }
        return yield* this.expression(declaration as Expression, file, 'const', `${via}the default export of ${file.path}, `);
      } else if (statement.type === 'ExportAllDeclaration' && !statement.exportKind?.includes('type')) {
        stars.push(statement.source.value);
      }
    }
    for (const source of stars) {
      const path = yield* this.module(file, source, via);
      const target = (yield* this.load(path))!;
      if (target.kind === 'module' && !(yield* this.exports(target, name))) continue;
      return yield* this.exported(target, name, via);
    }
    throw unsupported(`${this.label}: the default is ${via}\`${name}\`, which ${file.path} does not export as a const`);
  }

  /** Whether `file` declares an export `name` (directly or through `export *`). */
  private *exports(file: SourceFile & { kind: 'module' }, name: string, depth = 0): Reads<boolean> {
    for (const statement of file.ast.program.body) {
      if (statement.type === 'ExportNamedDeclaration') {
        const declaration = statement.declaration;
        if (
          declaration?.type === 'VariableDeclaration' &&
          declaration.declarations.some((d) => Object.hasOwn(getBindingIdentifiers(d.id), name))
        )
          return true;
        if (statement.specifiers.some((s) => (s.exported.type === 'Identifier' ? s.exported.name : s.exported.value) === name)) return true;
      } else if (statement.type === 'ExportAllDeclaration' && depth < 8) {
        const path = yield* this.module(file, statement.source.value, '');
        const target = (yield* this.load(path))!;
        if (target.kind === 'module' && (yield* this.exports(target, name, depth + 1))) return true;
      }
    }
    return false;
  }

  private *module(file: SourceFile, specifier: string, via: string): Reads<string> {
    try {
      return yield* this.modules.resolve(file.path, specifier);
    } catch (error) {
      if (error instanceof ModuleNotFound)
        throw unsupported(`${this.label}: the default is ${via}re-exported by ${file.path} from '${specifier}', but ${error.message}`);
      throw error;
    }
  }

  private *load(path: string): Reads<SourceFile | null> {
    if (this.files.has(path)) return this.files.get(path)!;
    const text = yield path;
    const file = text === null ? null : loadSourceFile(path, text);
    this.files.set(path, file);
    return file;
  }

  private *exists(path: string): Reads<boolean> {
    return (yield* this.load(path)) !== null;
  }

  private callPath(): string {
    return this.label.slice(0, this.label.indexOf(':'));
  }
}

function memberKey(node: Node & { property: Node; computed: boolean }): string | null {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : null;
  return computedName(node.property);
}

function plainName(key: Node): string | null {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  return null;
}

function computedName(key: Node): string | null {
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0]!.value.cooked ?? null;
  return null;
}

function importedName(specifier: Node): string {
  if (specifier.type !== 'ImportSpecifier') return 'default';
  return specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value;
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

function hintFor(binding: Binding | null): string {
  switch (binding?.kind) {
    case 'variable':
      return `declare it with \`const\` (it is not reassigned at run time) or move the prompt into a const`;
    case 'destructured':
      return 'pass the property itself (`OBJECT.name`) instead of destructuring it';
    case 'import':
      return 'open the pull request from a connected repository (or the server beside the code) so the import can be followed, or move the prompt into a const of this file';
    default:
      return HINT_LITERAL;
  }
}

export function snippet(node: Node, source: string): string {
  const text = source.slice(node.start!, node.end!).replace(/\s+/g, ' ');
  return `\`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\``;
}

function unsupported(message: string): RewriteError {
  return new RewriteError('unsupported_default', message);
}
