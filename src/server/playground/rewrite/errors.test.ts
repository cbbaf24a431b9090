import { describe, expect, it } from 'vitest';
import {
  RewriteError,
  rewritePlaygroundDefault,
  rewritePlaygroundDefaultInRepository,
  type RewriteErrorCode,
  type RewriteRequest,
} from './index';
import { lines } from './test-helpers';

function rewriteError(request: Partial<RewriteRequest> & { source: string }): RewriteError {
  try {
    rewritePlaygroundDefault({ path: 'src/tasks/draft.ts', name: 'prompt', value: 'new', ...request });
  } catch (error) {
    if (error instanceof RewriteError) return error;
    throw error;
  }
  throw new Error('expected a RewriteError');
}

function expectError(request: Partial<RewriteRequest> & { source: string }, code: RewriteErrorCode, ...fragments: string[]) {
  const error = rewriteError(request);
  expect(error.code).toBe(code);
  expect(error.name).toBe('RewriteError');
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

describe('parse_error', () => {
  it('names the file and the line of a syntax error', () => {
    expectError(
      { source: lines("const a = ctx.playground('prompt', 'x');", 'const = ;') },
      'parse_error',
      'src/tasks/draft.ts',
      'line 2, column 7',
    );
  });

  it('refuses a file type it cannot parse', () => {
    expectError({ path: 'src/tasks/draft.py', source: "ctx.playground('prompt', 'x')" }, 'parse_error', 'src/tasks/draft.py', '.ts');
  });

  it('does not parse JSX in a plain .ts file', () => {
    expectError({ source: lines("const a = ctx.playground('prompt', 'x');", 'const el = <div>hi</div>;') }, 'parse_error', 'line 2');
  });
});

describe('call_not_found', () => {
  it('when no call has that name', () => {
    expectError(
      { source: "ctx.playground('other', 'x');", line: 1, column: 5 },
      'call_not_found',
      "playground('prompt', …)",
      'src/tasks/draft.ts',
      'line 1',
    );
  });

  it('when the name is not a literal (not a call we can match)', () => {
    expectError({ source: "const NAME = 'prompt'; ctx.playground(NAME, 'x');" }, 'call_not_found', "playground('prompt', …)");
  });

  it('when the name is a template literal with a substitution', () => {
    expectError({ source: "ctx.playground(`${'prompt'}`, 'x');" }, 'call_not_found');
  });

  it('when the call is to something other than playground', () => {
    expectError({ source: "ctx.playgrounds('prompt', 'x'); playgroundFn('prompt', 'y');" }, 'call_not_found');
  });
});

describe('ambiguous', () => {
  const twice = lines(
    "function a(ctx) { return ctx.playground('prompt', 'a'); }",
    "function b(ctx) { return ctx.playground('prompt', 'b'); }",
  );

  it('when several calls have the name and there is no position', () => {
    expectError({ source: twice }, 'ambiguous', 'src/tasks/draft.ts', '2 ', 'lines 1, 2');
  });

  it('when several calls have the name and none is at the position', () => {
    expectError({ source: lines('// moved', twice), line: 1, column: 1 }, 'ambiguous', 'lines 2, 3', 'none of them at line 1, column 1');
  });

  it('when two calls share the line and the column points at neither', () => {
    expectError({ source: "[ctx.playground('prompt', 1), ctx.playground('prompt', 2)];", line: 1, column: 1 }, 'ambiguous');
  });
});

describe('unsupported_default', () => {
  const cases: [string, string, ...string[]][] = [
    ['a let', "let PROMPT = 'x';\nctx.playground('prompt', PROMPT);", '`PROMPT`', 'declared with let at line 1', 'src/tasks/draft.ts:2'],
    ['a var', "var PROMPT = 'x';\nctx.playground('prompt', PROMPT);", 'declared with var'],
    ['an import', "import { PROMPT } from './prompts';\nctx.playground('prompt', PROMPT);", "imported from './prompts'"],
    ['a parameter', "function run(ctx, PROMPT) { return ctx.playground('prompt', PROMPT); }", 'a parameter'],
    ['a destructured const', "const { PROMPT } = prompts;\nctx.playground('prompt', PROMPT);", 'destructured by a const', '`prompts`'],
    ['a global', "ctx.playground('prompt', PROMPT);", 'not declared in this file'],
    ['undefined', "ctx.playground('prompt', undefined);", 'not a JSON value'],
    ['a function call', "ctx.playground('prompt', buildPrompt('x'));", "`buildPrompt('x')` (a function call)"],
    [
      'a const holding a call',
      "const PROMPT = readFileSync('p.txt', 'utf8');\nctx.playground('prompt', PROMPT);",
      'the const `PROMPT` (line 1)',
      '(a function call)',
    ],
    ['a const holding require()', "const PROMPT = require('./prompt');\nctx.playground('prompt', PROMPT);", "`require('./prompt')`"],
    ['a binary expression', "ctx.playground('prompt', 'a' + 'b');", 'a binary expression'],
    ['a property of an undeclared object', "ctx.playground('prompt', prompts.draft);", '`prompts`', 'not declared in this file'],
    ['a template literal with substitutions', "ctx.playground('prompt', `Hi ${name}`);", 'substitutions'],
    ['a tagged template', "ctx.playground('prompt', dedent`Hi`);", 'a tagged template'],
    ['an object spread', "ctx.playground('prompt', { ...base, a: 1 });", 'an object spread', 'inside it'],
    ['an object with a reference', "ctx.playground('prompt', { model: MODEL });", '`MODEL` (a variable reference)'],
    ['a shorthand property', "ctx.playground('prompt', { model });", 'a reference to `model`'],
    ['a method', "ctx.playground('prompt', { f() {} });", 'a method'],
    ['an array hole', "ctx.playground('prompt', [1, , 2]);", 'an array with a hole'],
    ['a missing default', "ctx.playground('prompt');", 'has no default value'],
    ['a spread argument', "ctx.playground('prompt', ...rest);", 'spread argument'],
    ['a declared const without initializer', "declare const PROMPT: string;\nctx.playground('prompt', PROMPT);", 'has no initializer'],
    ['a regular expression', "ctx.playground('prompt', /x/);", 'a regular expression'],
  ];

  it.each(cases)('refuses %s', (_title, source, ...fragments) => {
    expectError({ source }, 'unsupported_default', "playground('prompt')", ...fragments);
  });

  it('refuses a const cycle instead of looping', () => {
    expectError({ source: "const A = B;\nconst B = A;\nctx.playground('prompt', A);" }, 'unsupported_default', 'too many constants');
  });
});

describe('invalid_value', () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  const cases: [string, unknown, string][] = [
    ['undefined', undefined, '$ is undefined'],
    ['NaN', Number.NaN, '$ is NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, '$ is Infinity'],
    ['a function', () => 1, '$ is a function'],
    ['a bigint', 1n, '$ is a bigint'],
    ['a Date', new Date(0), '$ is a Date object'],
    ['a nested undefined', { a: [1, undefined] }, '$.a[1] is undefined'],
    ['a cycle', cycle, '$.self refers back to itself'],
    // oxlint-disable-next-line no-sparse-arrays -- the hole is the case under test
    ['a sparse array', [1, , 3], '$[1] is a hole'],
  ];

  it.each(cases)('refuses %s', (_title, value, fragment) => {
    expectError(
      { source: "ctx.playground('prompt', 'x');", value },
      'invalid_value',
      'src/tasks/draft.ts',
      "playground('prompt')",
      fragment,
    );
  });

  it('accepts a null-prototype object', () => {
    const value = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const result = rewritePlaygroundDefault({ path: 'a.ts', source: "ctx.playground('prompt', 'x');", name: 'prompt', value });
    expect(result.source).toBe("ctx.playground('prompt', { a: 1 });");
  });
});

describe('request checks', () => {
  it('rejects a line or column that is not a positive integer', () => {
    const base = { path: 'a.ts', source: "ctx.playground('prompt', 'x');", name: 'prompt', value: 'y' };
    expect(() => rewritePlaygroundDefault({ ...base, line: 0 })).toThrow(/line must be a positive integer/);
    expect(() => rewritePlaygroundDefault({ ...base, line: 1, column: 1.5 })).toThrow(/column must be a positive integer/);
  });
});

describe('unsupported_default across files', () => {
  const cases: [string, Record<string, string>, ...string[]][] = [
    [
      'a let in the imported module',
      { 'src/prompts.ts': "export let PROMPT = 'x';" },
      '`PROMPT` in src/prompts.ts',
      'declared with let',
      'declare it with `const`',
    ],
    ['a var in the imported module', { 'src/prompts.ts': "export var PROMPT = 'x';" }, 'declared with var'],
    [
      'a function call in the imported module',
      { 'src/prompts.ts': "export const PROMPT = load('p.txt');" },
      "`load('p.txt')` (a function call)",
      'move the value into a `const`',
    ],
    ['a template with substitutions', { 'src/prompts.ts': 'export const PROMPT = `Hi ${name}`;' }, 'substitutions'],
    ['a tagged template', { 'src/prompts.ts': 'export const PROMPT = dedent`Hi`;' }, 'a tagged template'],
    [
      'process.env.X ?? …',
      { 'src/prompts.ts': "export const PROMPT = process.env.PROMPT ?? 'Be kind.';" },
      'a logical expression',
      '`process.env.PROMPT',
    ],
    [
      'a destructuring default',
      { 'src/prompts.ts': "export const { PROMPT = 'Be kind.' } = settings;" },
      'destructured by a const',
      'instead of destructuring',
    ],
    ['an export that is not there', { 'src/prompts.ts': "export const OTHER = 'x';" }, 'src/prompts.ts does not export'],
    ['a module that is not in the repository', {}, "'./prompts' is not a file of the repository"],
  ];

  it.each(cases)('refuses %s', async (_title, files, ...fragments) => {
    const all: Record<string, string> = {
      'src/task.ts': "import { PROMPT } from './prompts';\nctx.playground('prompt', PROMPT);",
      ...files,
    };
    const error = await rewritePlaygroundDefaultInRepository(
      { path: 'src/task.ts', name: 'prompt', value: 'new' },
      async (path) => all[path] ?? null,
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RewriteError);
    expect((error as RewriteError).code).toBe('unsupported_default');
    for (const fragment of [...fragments, "src/task.ts:2: playground('prompt')"])
      expect((error as RewriteError).message).toContain(fragment);
  });

  it('refuses a package import, saying to keep the prompt in the repository', async () => {
    const read = async (path: string) =>
      path === 'src/task.ts' ? "import { PROMPT } from 'prompts-pkg';\nctx.playground('prompt', PROMPT);" : null;
    await expect(rewritePlaygroundDefaultInRepository({ path: 'src/task.ts', name: 'prompt', value: 'x' }, read)).rejects.toThrow(
      /'prompts-pkg' is a package or an alias .*keep the prompt in a file of this repository/,
    );
  });

  it('refuses a property chosen at run time', () => {
    expectError(
      { source: "const P = { a: 'x' };\nctx.playground('prompt', P[key]);" },
      'unsupported_default',
      'a property chosen at run time',
      '`key`',
    );
  });

  it('without a repository to read, an import names the module and says how to follow it', () => {
    expectError(
      { source: "import { PROMPT } from './prompts';\nctx.playground('prompt', PROMPT);" },
      'unsupported_default',
      "imported from './prompts'",
      'connected repository',
    );
  });
});
