import { posix } from 'node:path';
import { parseExpression } from '@babel/parser';
import { evaluateLiteral } from './literal-value';
import type { Json } from './json-value';

/** Asks the caller for a repository file's text; the answer is the text, or null when there is no such file. */
export type FileRequest = Generator<string, unknown, string | null>;

/** Why an import cannot be followed to a file of the repository. */
export class ModuleNotFound extends Error {}

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
// An ESM specifier names the emitted file: `./prompts.js` is `./prompts.ts` in the source.
const EMITTED: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

interface PathsConfig {
  /** Directory (repository path) `paths` are relative to. */
  base: string;
  paths: Record<string, string[]>;
  baseUrl: string | null;
}

/**
 * Where `specifier`, imported by the repository file `from`, is in the repository: relative
 * specifiers, `.js` specifiers naming `.ts` files, directories with an `index`, and the nearest
 * tsconfig.json's `paths` / `baseUrl` (following relative `extends`). Packages are refused.
 */
export class ModuleResolver {
  private readonly configs = new Map<string, PathsConfig | null>();

  constructor(private readonly exists: (path: string) => Generator<string, boolean, string | null>) {}

  *resolve(from: string, specifier: string): Generator<string, string, string | null> {
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      const found = yield* this.firstFile(candidates(inRepository(posix.join(posix.dirname(from), specifier), specifier)));
      if (found) return found;
      throw new ModuleNotFound(`'${specifier}' is not a file of the repository (looked for ${describeCandidates(specifier)})`);
    }
    if (specifier.startsWith('/')) throw new ModuleNotFound(`'${specifier}' is an absolute path`);
    const config = yield* this.configFor(posix.dirname(from));
    if (config) {
      for (const [pattern, targets] of Object.entries(config.paths)) {
        const star = matchPattern(pattern, specifier);
        if (star === null) continue;
        for (const target of targets) {
          const path = inRepository(posix.join(config.base, target.replace('*', star)), specifier);
          const found = yield* this.firstFile(candidates(path));
          if (found) return found;
        }
      }
      if (config.baseUrl !== null) {
        const found = yield* this.firstFile(candidates(inRepository(posix.join(config.baseUrl, specifier), specifier)));
        if (found) return found;
      }
    }
    throw new ModuleNotFound(
      `'${specifier}' is a package or an alias that no tsconfig.json \`paths\` entry maps to a file of the repository`,
    );
  }

  private *firstFile(paths: string[]): Generator<string, string | null, string | null> {
    for (const path of paths) if (yield* this.exists(path)) return path;
    return null;
  }

  /** The `paths` of the tsconfig.json nearest to `dir` (itself or an ancestor, up to the repository root). */
  private *configFor(dir: string): Generator<string, PathsConfig | null, string | null> {
    for (let current = dir; ; current = posix.dirname(current)) {
      const file = current === '.' || current === '' ? 'tsconfig.json' : `${current}/tsconfig.json`;
      const config = yield* this.loadConfig(file, 0);
      if (config !== undefined) return config;
      if (current === '.' || current === '' || current === '/') return null;
    }
  }

  /** undefined: no such file; null: a tsconfig without paths or baseUrl. */
  private *loadConfig(file: string, depth: number): Generator<string, PathsConfig | null | undefined, string | null> {
    if (this.configs.has(file)) return this.configs.get(file)!;
    const text = yield file;
    if (text === null) return undefined;
    const json = parseConfig(text);
    const options = (isObject(json) && isObject(json.compilerOptions) ? json.compilerOptions : {}) as Record<string, Json>;
    const dir = posix.dirname(file);
    let inherited: PathsConfig | null | undefined = null;
    const parent = isObject(json) ? json.extends : undefined;
    if (typeof parent === 'string' && (parent.startsWith('./') || parent.startsWith('../')) && depth < 8) {
      const path = posix.normalize(posix.join(dir, parent.endsWith('.json') ? parent : `${parent}.json`));
      if (!path.startsWith('..')) inherited = (yield* this.loadConfig(path, depth + 1)) ?? null;
    }
    const baseUrl = typeof options.baseUrl === 'string' ? posix.normalize(posix.join(dir, options.baseUrl)) : (inherited?.baseUrl ?? null);
    const ownPaths = isObject(options.paths) ? (options.paths as Record<string, string[]>) : null;
    const config: PathsConfig | null =
      ownPaths || baseUrl !== null || inherited
        ? {
            paths: ownPaths ?? inherited?.paths ?? {},
            base: ownPaths ? (baseUrl ?? dir) : (inherited?.base ?? baseUrl ?? dir),
            baseUrl,
          }
        : null;
    this.configs.set(file, config);
    return config;
  }
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** tsconfig.json is JSON with comments and trailing commas: read it as a JavaScript literal. */
function parseConfig(text: string): Json | null {
  try {
    const evaluation = evaluateLiteral(parseExpression(text.replace(/^\uFEFF/, ' ')));
    return evaluation.ok ? evaluation.value : null;
  } catch {
    return null;
  }
}

function matchPattern(pattern: string, specifier: string): string | null {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === specifier ? '' : null;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (specifier.length < prefix.length + suffix.length || !specifier.startsWith(prefix) || !specifier.endsWith(suffix)) return null;
  return specifier.slice(prefix.length, specifier.length - suffix.length);
}

function inRepository(path: string, specifier: string): string {
  const normalized = posix.normalize(path);
  if (normalized === '..' || normalized.startsWith('../')) throw new ModuleNotFound(`'${specifier}' leads outside the repository`);
  return normalized;
}

function candidates(path: string): string[] {
  const extension = posix.extname(path);
  if (extension === '.json') return [path];
  if (EMITTED[extension]) return [...EMITTED[extension].map((ext) => path.slice(0, -extension.length) + ext), path];
  if (SCRIPT_EXTENSIONS.includes(extension)) return [path];
  const base = path === '.' ? '' : path;
  return [...SCRIPT_EXTENSIONS.map((ext) => base + ext), ...SCRIPT_EXTENSIONS.map((ext) => posix.join(base, `index${ext}`))];
}

function describeCandidates(specifier: string): string {
  const extension = posix.extname(specifier);
  if (extension === '.json' || SCRIPT_EXTENSIONS.includes(extension)) return 'that file';
  return `${specifier}.ts, .tsx, .js … and ${specifier}/index.ts …`;
}
