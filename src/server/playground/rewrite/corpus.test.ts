import { describe, expect, it } from 'vitest';
import { rewritePlaygroundDefault, rewritePlaygroundDefaultInRepository } from './index';
import { crlfLines, lines, positionOf } from './test-helpers';

interface CorpusCase {
  title: string;
  path?: string;
  source: string;
  name: string;
  value: unknown;
  /** Where the recorded call site is: the nth occurrence of a marker (default: the first `playground`); null: no position. */
  at?: { marker: string; occurrence?: number } | null;
  expected: string;
  kind?: 'argument' | 'const';
}

const corpus: CorpusCase[] = [
  // ── strings ──
  {
    title: 'single-quoted string keeps single quotes',
    source: lines("const system = ctx.playground('system_prompt', 'You are terse.');"),
    name: 'system_prompt',
    value: 'You are kind.',
    expected: lines("const system = ctx.playground('system_prompt', 'You are kind.');"),
  },
  {
    title: 'double-quoted string keeps double quotes',
    source: lines('const system = ctx.playground("system_prompt", "You are terse.");'),
    name: 'system_prompt',
    value: 'You are kind.',
    expected: lines('const system = ctx.playground("system_prompt", "You are kind.");'),
  },
  {
    title: 'a quote of the same kind is escaped',
    source: lines("const s = ctx.playground('greeting', 'hi');"),
    name: 'greeting',
    value: 'It\'s "fine"',
    expected: lines("const s = ctx.playground('greeting', 'It\\'s \"fine\"');"),
  },
  {
    title: 'double quotes escaped inside a double-quoted string',
    source: lines('const s = ctx.playground("greeting", "hi");'),
    name: 'greeting',
    value: 'say "hi" it\'s',
    expected: lines('const s = ctx.playground("greeting", "say \\"hi\\" it\'s");'),
  },
  {
    title: 'a new string with a line break becomes a template literal',
    source: lines('function f(ctx) {', "  return ctx.playground('prompt', 'one line');", '}'),
    name: 'prompt',
    value: 'line one\nline two',
    expected: lines('function f(ctx) {', "  return ctx.playground('prompt', `line one", 'line two`);', '}'),
  },
  {
    title: 'an old template literal stays a template literal',
    source: lines("const m = ctx.playground('model', `small`);"),
    name: 'model',
    value: 'large',
    expected: lines("const m = ctx.playground('model', `large`);"),
  },
  {
    title: 'a multi-line template literal: backticks, backslashes and ${ escaped, a lone $ kept',
    source: lines(
      '  const system = String(',
      '    ctx.playground(',
      "      'system_prompt',",
      '      `You are a friendly support agent.',
      'Sign as Support.`,',
      '    ),',
      '  );',
    ),
    name: 'system_prompt',
    value: 'Use `code` and C:\\path.\nCost: $5, not ${price}.',
    expected: lines(
      '  const system = String(',
      '    ctx.playground(',
      "      'system_prompt',",
      '      `Use \\`code\\` and C:\\\\path.',
      'Cost: $5, not \\${price}.`,',
      '    ),',
      '  );',
    ),
  },
  {
    title: 'an old multi-line template literal given a one-line string stays a template literal',
    source: lines("ctx.playground('p', `a", 'b`);'),
    name: 'p',
    value: 'ab',
    expected: lines("ctx.playground('p', `ab`);"),
  },
  {
    title: 'tab, backslash, carriage return, NUL and line separator are escaped in a quoted string',
    source: lines("ctx.playground('sep', 'x');"),
    name: 'sep',
    value: 'a\tb\\c\rd\u0000e\u2028f\u2029',
    expected: lines("ctx.playground('sep', 'a\\tb\\\\c\\rd\\x00e\\u2028f\\u2029');"),
  },
  {
    title: 'emoji, CJK and combining characters are written as they are; a lone surrogate is escaped',
    source: lines("ctx.playground('greeting', 'hello');"),
    name: 'greeting',
    value: 'こんにちは 👋 cafe\u0301 \ud800!',
    expected: lines("ctx.playground('greeting', 'こんにちは 👋 cafe\u0301 \\ud800!');"),
  },
  {
    title: 'the recorded column counts UTF-16 units: six emoji earlier on the line shift it by twelve',
    source: lines("const wave = '👋👋👋👋👋👋'; const pair = [ctx.playground('greeting', 'first'), ctx.playground('greeting', 'second')];"),
    name: 'greeting',
    value: 'hi 👋',
    at: { marker: 'playground', occurrence: 2 },
    expected: lines(
      "const wave = '👋👋👋👋👋👋'; const pair = [ctx.playground('greeting', 'first'), ctx.playground('greeting', 'hi 👋')];",
    ),
  },
  {
    title: 'a string with a CJK prefix before the call on the same line',
    source: lines("const 名前 = ctx.playground('名前', '太郎');"),
    name: '名前',
    value: '花子',
    expected: lines("const 名前 = ctx.playground('名前', '花子');"),
  },

  // ── numbers, booleans, null, type changes ──
  {
    title: 'a number',
    source: lines("const t = clamp(Number(ctx.playground('temperature', 0.7)), 0, 2);"),
    name: 'temperature',
    value: 0.25,
    expected: lines("const t = clamp(Number(ctx.playground('temperature', 0.25)), 0, 2);"),
  },
  {
    title: 'a negative number replaced as a whole',
    source: lines("const offset = ctx.playground('offset', -1);"),
    name: 'offset',
    value: 3,
    expected: lines("const offset = ctx.playground('offset', 3);"),
  },
  {
    title: 'a number becomes negative',
    source: lines("const offset = ctx.playground('offset', 1_000);"),
    name: 'offset',
    value: -2.5,
    expected: lines("const offset = ctx.playground('offset', -2.5);"),
  },
  {
    title: 'a boolean',
    source: lines("if (ctx.playground('verbose', true)) log();"),
    name: 'verbose',
    value: false,
    expected: lines("if (ctx.playground('verbose', false)) log();"),
  },
  {
    title: 'null becomes a string (JSON type changed)',
    source: lines("const stop = ctx.playground('stop', null);"),
    name: 'stop',
    value: 'END',
    expected: lines("const stop = ctx.playground('stop', 'END');"),
  },
  {
    title: 'a string becomes a number (JSON type changed)',
    source: lines("const max = ctx.playground('max_tokens', '256');"),
    name: 'max_tokens',
    value: 512,
    expected: lines("const max = ctx.playground('max_tokens', 512);"),
  },
  {
    title: "a number becomes a string quoted like the call's name",
    source: lines('const model = ctx.playground("model", 3);'),
    name: 'model',
    value: 'gpt-small',
    expected: lines('const model = ctx.playground("model", "gpt-small");'),
  },
  {
    title: 'a string becomes null',
    source: lines("const stop = ctx.playground('stop', 'END');"),
    name: 'stop',
    value: null,
    expected: lines("const stop = ctx.playground('stop', null);"),
  },

  // ── objects and arrays ──
  {
    title: 'a one-line object keeps its padded braces and bare keys',
    source: lines("const cfg = ctx.playground('llm', { model: 'small', temperature: 0.2 });"),
    name: 'llm',
    value: { model: 'large', temperature: 0.5, stop: ['\n\n'] },
    expected: lines("const cfg = ctx.playground('llm', { model: 'large', temperature: 0.5, stop: ['\\n\\n'] });"),
  },
  {
    title: 'a one-line object without padding stays unpadded',
    source: lines('const cfg = ctx.playground("llm", {model: "small"});'),
    name: 'llm',
    value: { model: 'large', max: 3, nested: { a: true } },
    expected: lines('const cfg = ctx.playground("llm", {model: "large", max: 3, nested: {a: true}});'),
  },
  {
    title: 'JSON-style quoted keys stay quoted with their quote kind',
    source: lines('const cfg = ctx.playground(\'llm\', { "model": "small" });'),
    name: 'llm',
    value: { model: 'large', top_p: 1 },
    expected: lines('const cfg = ctx.playground(\'llm\', { "model": "large", "top_p": 1 });'),
  },
  {
    title: 'bare keys when the old object had them, quoted only where not an identifier',
    source: lines("ctx.playground('llm', { model: 'small', 'max-tokens': 10 });"),
    name: 'llm',
    value: { model: 'small', 'max-tokens': 20, default: 'x', '1st': 1, $ok: 2 },
    expected: lines("ctx.playground('llm', { model: 'small', 'max-tokens': 20, default: 'x', '1st': 1, $ok: 2 });"),
  },
  {
    title: 'a multi-line object (2 spaces, trailing comma) inside a function',
    source: lines(
      'export async function draft(input, ctx) {',
      "  const llm = ctx.playground('llm', {",
      "    model: 'small',",
      '    temperature: 0.2,',
      '  });',
      '  return llm;',
      '}',
    ),
    name: 'llm',
    value: { model: 'large', temperature: 0.4, stop: ['END', 'STOP'] },
    expected: lines(
      'export async function draft(input, ctx) {',
      "  const llm = ctx.playground('llm', {",
      "    model: 'large',",
      '    temperature: 0.4,',
      "    stop: ['END', 'STOP'],",
      '  });',
      '  return llm;',
      '}',
    ),
  },
  {
    title: 'a multi-line object (4 spaces, no trailing comma) keeps its habits',
    source: lines(
      'class Draft {',
      '    run(ctx) {',
      "        return ctx.playground('llm', {",
      "            model: 'small'",
      '        });',
      '    }',
      '}',
    ),
    name: 'llm',
    value: { model: 'large', temperature: 1 },
    expected: lines(
      'class Draft {',
      '    run(ctx) {',
      "        return ctx.playground('llm', {",
      "            model: 'large',",
      '            temperature: 1',
      '        });',
      '    }',
      '}',
    ),
  },
  {
    title: 'a tab-indented file gets tabs',
    source: lines('function run(ctx) {', "\treturn ctx.playground('llm', {", "\t\tmodel: 'small',", '\t});', '}'),
    name: 'llm',
    value: { model: 'large', retries: 2 },
    expected: lines('function run(ctx) {', "\treturn ctx.playground('llm', {", "\t\tmodel: 'large',", '\t\tretries: 2,', '\t});', '}'),
  },
  {
    title: 'a multi-line array of strings',
    source: lines("const stops = ctx.playground('stops', [", "  'END',", "  'STOP',", ']);'),
    name: 'stops',
    value: ['DONE'],
    expected: lines("const stops = ctx.playground('stops', [", "  'DONE',", ']);'),
  },
  {
    title: 'a one-line array stays one line',
    source: lines("const weights = ctx.playground('weights', [1, 2]);"),
    name: 'weights',
    value: [3, 4.5, -1],
    expected: lines("const weights = ctx.playground('weights', [3, 4.5, -1]);"),
  },
  {
    title: 'a padded one-line array stays padded',
    source: lines("const tags = ctx.playground('tags', [ 'a' ]);"),
    name: 'tags',
    value: ['b', 'c'],
    expected: lines("const tags = ctx.playground('tags', [ 'b', 'c' ]);"),
  },
  {
    title: 'multi-line: nested values stay inline when they fit, expand when they do not',
    source: lines("ctx.playground('cfg', {", "  model: 'small',", '});'),
    name: 'cfg',
    value: {
      model: 'small',
      limits: { tokens: 10, seconds: 2 },
      examples: ['a fairly long example sentence number one', 'a fairly long example sentence number two'],
    },
    expected: lines(
      "ctx.playground('cfg', {",
      "  model: 'small',",
      '  limits: { tokens: 10, seconds: 2 },',
      '  examples: [',
      "    'a fairly long example sentence number one',",
      "    'a fairly long example sentence number two',",
      '  ],',
      '});',
    ),
  },
  {
    title: "multi-line object: the indentation step comes from the old object's own lines",
    source: lines('  ctx.playground(', "    'cfg',", '    {', '       a: 1', '    }', '  );'),
    name: 'cfg',
    value: { a: 2, b: 3 },
    expected: lines('  ctx.playground(', "    'cfg',", '    {', '       a: 2,', '       b: 3', '    }', '  );'),
  },
  {
    title: 'empty object and array values',
    source: lines("ctx.playground('cfg', { a: 1 }); ctx.playground('list', [1]);"),
    name: 'cfg',
    value: {},
    expected: lines("ctx.playground('cfg', {}); ctx.playground('list', [1]);"),
  },
  {
    title: 'a string default becomes an object (one line, padded)',
    source: lines("const cfg = ctx.playground('cfg', 'none');"),
    name: 'cfg',
    value: { a: [1, { b: null }] },
    expected: lines("const cfg = ctx.playground('cfg', { a: [1, { b: null }] });"),
  },
  {
    title: 'a __proto__ key stays a key, not a prototype',
    source: lines("ctx.playground('cfg', { a: 1 });"),
    name: 'cfg',
    value: JSON.parse('{"__proto__": 1}'),
    expected: lines("ctx.playground('cfg', { ['__proto__']: 1 });"),
  },

  // ── wrappers around the default ──
  {
    title: '`as const` is kept, the object inside replaced',
    source: lines("const cfg = ctx.playground('cfg', { mode: 'fast' } as const);"),
    name: 'cfg',
    value: { mode: 'slow' },
    expected: lines("const cfg = ctx.playground('cfg', { mode: 'slow' } as const);"),
  },
  {
    title: '`satisfies` is kept',
    source: lines("const cfg = ctx.playground('cfg', { mode: 'fast' } satisfies Config);"),
    name: 'cfg',
    value: { mode: 'slow', n: 2 },
    expected: lines("const cfg = ctx.playground('cfg', { mode: 'slow', n: 2 } satisfies Config);"),
  },
  {
    title: 'an angle-bracket type assertion is kept (.ts)',
    source: lines("const mode = ctx.playground('mode', <Mode>'fast');"),
    name: 'mode',
    value: 'slow',
    expected: lines("const mode = ctx.playground('mode', <Mode>'slow');"),
  },
  {
    title: 'parentheses around the default are kept',
    source: lines("const mode = ctx.playground('mode', (('fast')));"),
    name: 'mode',
    value: 'slow',
    expected: lines("const mode = ctx.playground('mode', (('slow')));"),
  },
  {
    title: 'type arguments on the call are kept',
    source: lines("const mode = ctx.playground<'fast' | 'slow'>('mode', 'fast');"),
    name: 'mode',
    value: 'slow',
    expected: lines("const mode = ctx.playground<'fast' | 'slow'>('mode', 'slow');"),
  },
  {
    title: 'comments between the arguments are kept',
    source: lines("ctx.playground('mode', /* default: */ 'fast' /* for now */);"),
    name: 'mode',
    value: 'slow',
    expected: lines("ctx.playground('mode', /* default: */ 'slow' /* for now */);"),
  },
  {
    title: 'a trailing comma after the default is kept',
    source: lines('ctx.playground(', "  'mode',", "  'fast', // tuned in the playground", ');'),
    name: 'mode',
    value: 'slow',
    expected: lines('ctx.playground(', "  'mode',", "  'slow', // tuned in the playground", ');'),
  },

  // ── callee shapes ──
  {
    title: 'optional call `ctx?.playground`',
    source: lines("const mode = ctx?.playground('mode', 'fast');"),
    name: 'mode',
    value: 'slow',
    expected: lines("const mode = ctx?.playground('mode', 'slow');"),
  },
  {
    title: '`this.ctx.playground`',
    source: lines('class Step {', '  run() {', "    return this.ctx.playground('mode', 'fast');", '  }', '}'),
    name: 'mode',
    value: 'slow',
    expected: lines('class Step {', '  run() {', "    return this.ctx.playground('mode', 'slow');", '  }', '}'),
  },
  {
    title: 'a destructured `playground(...)`',
    source: lines('export const fn = async (input, { playground }) => {', "  return playground('mode', 'fast');", '};'),
    name: 'mode',
    value: 'slow',
    expected: lines('export const fn = async (input, { playground }) => {', "  return playground('mode', 'slow');", '};'),
  },
  {
    title: '`context.playground` and `anything.playground`',
    source: lines("const a = context.playground('a', 1);", "const b = whatever.deep.playground('b', 2);"),
    name: 'b',
    value: 20,
    expected: lines("const a = context.playground('a', 1);", "const b = whatever.deep.playground('b', 20);"),
  },
  {
    title: "a computed `ctx['playground']`",
    source: lines("const mode = ctx['playground']('mode', 'fast');"),
    name: 'mode',
    value: 'slow',
    at: { marker: 'ctx' },
    expected: lines("const mode = ctx['playground']('mode', 'slow');"),
  },
  {
    title: 'a name written as a template literal without substitutions',
    source: lines("const mode = ctx.playground(`mode`, 'fast');"),
    name: 'mode',
    value: 'slow',
    expected: lines("const mode = ctx.playground(`mode`, 'slow');"),
  },

  // ── constants ──
  {
    title: 'an identifier default: the top-level const initializer is replaced',
    source: lines(
      "const SYSTEM = 'You are terse.';",
      '',
      'export function run(ctx) {',
      "  return ctx.playground('system_prompt', SYSTEM);",
      '}',
    ),
    name: 'system_prompt',
    value: 'You are kind.',
    kind: 'const',
    expected: lines(
      "const SYSTEM = 'You are kind.';",
      '',
      'export function run(ctx) {',
      "  return ctx.playground('system_prompt', SYSTEM);",
      '}',
    ),
  },
  {
    title: 'the innermost const wins over a shadowed outer one',
    source: lines(
      "const PROMPT = 'outer';",
      'function run(ctx) {',
      "  const PROMPT = 'inner';",
      "  return ctx.playground('p', PROMPT);",
      '}',
    ),
    name: 'p',
    value: 'new',
    kind: 'const',
    expected: lines(
      "const PROMPT = 'outer';",
      'function run(ctx) {',
      "  const PROMPT = 'new';",
      "  return ctx.playground('p', PROMPT);",
      '}',
    ),
  },
  {
    title: 'an exported, typed const with `as const` and a multi-line object',
    source: lines(
      'export const DEFAULTS: Readonly<Config> = {',
      "  model: 'small',",
      '  temperature: 0.2,',
      '} as const;',
      "export const run = (ctx: Ctx) => ctx.playground('llm', DEFAULTS);",
    ),
    name: 'llm',
    value: { model: 'large', temperature: 0.2 },
    kind: 'const',
    expected: lines(
      'export const DEFAULTS: Readonly<Config> = {',
      "  model: 'large',",
      '  temperature: 0.2,',
      '} as const;',
      "export const run = (ctx: Ctx) => ctx.playground('llm', DEFAULTS);",
    ),
  },
  {
    title: 'a const naming another const is followed to the literal',
    source: lines("const BASE = 'v1';", 'const MODEL = BASE;', "ctx.playground('model', MODEL);"),
    name: 'model',
    value: 'v2',
    kind: 'const',
    expected: lines("const BASE = 'v2';", 'const MODEL = BASE;', "ctx.playground('model', MODEL);"),
  },
  {
    title: 'an identifier default with a type assertion around it',
    source: lines("const MODE = 'fast';", "ctx.playground('mode', MODE as Mode);"),
    name: 'mode',
    value: 'slow',
    kind: 'const',
    expected: lines("const MODE = 'slow';", "ctx.playground('mode', MODE as Mode);"),
  },

  // ── locating the call ──
  {
    title: 'two calls on one line: only the named one changes',
    source: lines("const [a, b] = [ctx.playground('a', 'x'), ctx.playground('b', 'y')];"),
    name: 'b',
    value: 'z',
    at: { marker: 'playground', occurrence: 2 },
    expected: lines("const [a, b] = [ctx.playground('a', 'x'), ctx.playground('b', 'z')];"),
  },
  {
    title: 'the same name twice on one line: the recorded column decides',
    source: lines("const pair = [ctx.playground('t', 1), ctx.playground('t', 2)];"),
    name: 't',
    value: 3,
    at: { marker: 'playground', occurrence: 2 },
    expected: lines("const pair = [ctx.playground('t', 1), ctx.playground('t', 3)];"),
  },
  {
    title: 'the same name in two functions: the recorded line decides',
    source: lines("function a(ctx) { return ctx.playground('t', 1); }", "function b(ctx) { return ctx.playground('t', 2); }"),
    name: 't',
    value: 5,
    at: { marker: 'playground', occurrence: 2 },
    expected: lines("function a(ctx) { return ctx.playground('t', 1); }", "function b(ctx) { return ctx.playground('t', 5); }"),
  },
  {
    title: 'a column pointing at the callee object (as some source maps do) still finds the call',
    source: lines("const pair = [ctx.playground('t', 1), ctx2.playground('t', 2)];"),
    name: 't',
    value: 7,
    at: { marker: 'ctx2' },
    expected: lines("const pair = [ctx.playground('t', 1), ctx2.playground('t', 7)];"),
  },
  {
    title: 'the code moved since the run: the only call with that name is used',
    source: lines('// a new comment pushed everything down', '', "const t = ctx.playground('temperature', 0.7);"),
    name: 'temperature',
    value: 0.1,
    at: { marker: '// a new' },
    expected: lines('// a new comment pushed everything down', '', "const t = ctx.playground('temperature', 0.1);"),
  },
  {
    title: 'no recorded position and a single call',
    source: lines("const t = ctx.playground('temperature', 0.7);"),
    name: 'temperature',
    value: 1,
    at: null,
    expected: lines("const t = ctx.playground('temperature', 1);"),
  },

  // ── line endings and file kinds ──
  {
    title: 'a CRLF file keeps CRLF in a multi-line object',
    source: crlfLines('function run(ctx) {', "  return ctx.playground('cfg', {", '    a: 1,', '  });', '}', ''),
    name: 'cfg',
    value: { a: 2, b: 'x' },
    expected: crlfLines('function run(ctx) {', "  return ctx.playground('cfg', {", '    a: 2,', "    b: 'x',", '  });', '}', ''),
  },
  {
    title: 'a CRLF file gets CRLF inside a new multi-line template literal; a carriage return in the value is escaped',
    source: crlfLines('// tasks', "const p = ctx.playground('p', 'x');", ''),
    name: 'p',
    value: 'one\ntwo\r\nthree',
    expected: crlfLines('// tasks', "const p = ctx.playground('p', `one", 'two\\r', 'three`);', ''),
  },
  {
    title: 'a .jsx file',
    path: 'src/tasks/card.jsx',
    source: lines(
      'export function Card({ ctx }) {',
      "  return <p title={ctx.playground('title', 'Hello')}>{ctx.playground('body', 'Hi')}</p>;",
      '}',
    ),
    name: 'body',
    value: 'Bye <3',
    expected: lines(
      'export function Card({ ctx }) {',
      "  return <p title={ctx.playground('title', 'Hello')}>{ctx.playground('body', 'Bye <3')}</p>;",
      '}',
    ),
  },
  {
    title: 'a .tsx file with generics and JSX',
    path: 'src/tasks/card.tsx',
    source: lines(
      'export function Card<T,>({ ctx }: { ctx: Ctx }) {',
      "  const label = ctx.playground<string>('label', 'Hello');",
      '  return <b>{label}</b>;',
      '}',
    ),
    name: 'label',
    value: 'Howdy',
    expected: lines(
      'export function Card<T,>({ ctx }: { ctx: Ctx }) {',
      "  const label = ctx.playground<string>('label', 'Howdy');",
      '  return <b>{label}</b>;',
      '}',
    ),
  },
  {
    title: 'a CommonJS .cjs file with require and module.exports',
    path: 'tasks/triage.cjs',
    source: lines(
      "const { chat } = require('./chat');",
      "const MODEL = 'small';",
      'module.exports = {',
      '  async run(ctx) {',
      "    return chat(ctx.playground('model', MODEL));",
      '  },',
      '};',
    ),
    name: 'model',
    value: 'large',
    kind: 'const',
    expected: lines(
      "const { chat } = require('./chat');",
      "const MODEL = 'large';",
      'module.exports = {',
      '  async run(ctx) {',
      "    return chat(ctx.playground('model', MODEL));",
      '  },',
      '};',
    ),
  },
  {
    title: 'an .mts module',
    path: 'src/tasks/rank.mts',
    source: lines("import type { Ctx } from './ctx.mjs';", "export const rank = (ctx: Ctx) => ctx.playground('k', 5 satisfies number);"),
    name: 'k',
    value: 10,
    expected: lines("import type { Ctx } from './ctx.mjs';", "export const rank = (ctx: Ctx) => ctx.playground('k', 10 satisfies number);"),
  },

  // ── unchanged ──
  {
    title: 'the same string: unchanged',
    source: lines("ctx.playground('p', 'same');"),
    name: 'p',
    value: 'same',
    expected: lines("ctx.playground('p', 'same');"),
  },
  {
    title: 'the same object written differently: unchanged, formatting untouched',
    source: lines("ctx.playground('cfg', {model:'x',  n: 1.50, s: `a`});"),
    name: 'cfg',
    value: { model: 'x', n: 1.5, s: 'a' },
    expected: lines("ctx.playground('cfg', {model:'x',  n: 1.50, s: `a`});"),
  },
];

describe('rewritePlaygroundDefault corpus', () => {
  it('has at least 40 call shapes', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it.each(corpus)('$title', (c) => {
    const path = c.path ?? 'src/tasks/task.ts';
    const at = c.at === null ? {} : positionOf(c.source, c.at?.marker ?? 'playground', c.at?.occurrence);
    const result = rewritePlaygroundDefault({ path, source: c.source, name: c.name, value: c.value, ...at });
    expect(result.source).toBe(c.expected);
    expect(result.changed).toBe(c.expected !== c.source);
    expect(result.edit.kind).toBe(c.kind ?? 'argument');
    // The replaced text is exactly what changed: before/after splice the old source into the new one.
    const offset = lineOffset(c.source, result.edit.line) + result.edit.column - 1;
    expect(c.source.slice(offset, offset + result.before.length)).toBe(result.before);
    expect(c.source.slice(0, offset) + result.after + c.source.slice(offset + result.before.length)).toBe(c.expected);
    // The new text evaluates to the value asked for: asking again changes nothing.
    const again = rewritePlaygroundDefault({ path, source: result.source, name: c.name, value: c.value, ...at });
    expect(again.changed).toBe(false);
    expect(again.source).toBe(result.source);
  });
});

function lineOffset(source: string, line: number): number {
  let offset = 0;
  for (let i = 1; i < line; i++) offset = source.indexOf('\n', offset) + 1;
  return offset;
}

// ── defaults that live elsewhere: const objects, other modules, JSON files, minimal edits ──

interface RepositoryCase {
  title: string;
  /** The repository: path → text. The call is in the first file. */
  files: Record<string, string>;
  name: string;
  value: unknown;
  /** The files that change, with their exact new text; every other file stays as it was. */
  expected: Record<string, string>;
  kind: 'argument' | 'const' | 'json';
}

const repositoryCorpus: RepositoryCase[] = [
  {
    title: 'a member of a same-file const object (`as const`): only that member changes',
    files: {
      'src/task.ts': lines(
        'const PROMPTS = {',
        '  // the support prompt',
        "  support: 'Be kind.',",
        "  sales: 'Be brief.',",
        '} as const;',
        "ctx.playground('p', PROMPTS.support);",
      ),
    },
    name: 'p',
    value: 'Be very kind.',
    kind: 'const',
    expected: {
      'src/task.ts': lines(
        'const PROMPTS = {',
        '  // the support prompt',
        "  support: 'Be very kind.',",
        "  sales: 'Be brief.',",
        '} as const;',
        "ctx.playground('p', PROMPTS.support);",
      ),
    },
  },
  {
    title: "a computed member `PROMPTS['support']` of a `satisfies` object, nested",
    files: {
      'src/task.ts': lines(
        'const PROMPTS = { draft: { support: "Be kind.", sales: "Be brief." } } satisfies Record<string, object>;',
        "ctx.playground('p', PROMPTS['draft'].support);",
      ),
    },
    name: 'p',
    value: 'Line one\nline two',
    kind: 'const',
    expected: {
      'src/task.ts': lines(
        'const PROMPTS = { draft: { support: `Line one',
        'line two`, sales: "Be brief." } } satisfies Record<string, object>;',
        "ctx.playground('p', PROMPTS['draft'].support);",
      ),
    },
  },
  {
    title: 'a named import from ./prompts: the module changes, the call site does not',
    files: {
      'src/task.ts': lines("import { SUPPORT_PROMPT } from './prompts';", "ctx.playground('p', SUPPORT_PROMPT);"),
      'src/prompts.ts': lines('/** The support prompt. */', 'export const SUPPORT_PROMPT = `Be kind.`;', ''),
    },
    name: 'p',
    value: 'Be kinder.',
    kind: 'const',
    expected: { 'src/prompts.ts': lines('/** The support prompt. */', 'export const SUPPORT_PROMPT = `Be kinder.`;', '') },
  },
  {
    title: 'a namespace import `* as prompts` from ../prompts.js (ESM specifier naming a .ts file)',
    files: {
      'src/tasks/task.ts': lines("import * as prompts from '../prompts.js';", "ctx.playground('p', prompts.SUPPORT);"),
      'src/prompts.ts': lines("export const SUPPORT = 'Be kind.';", "export const SALES = 'Be brief.';", ''),
    },
    name: 'p',
    value: 'Be kinder.',
    kind: 'const',
    expected: { 'src/prompts.ts': lines("export const SUPPORT = 'Be kinder.';", "export const SALES = 'Be brief.';", '') },
  },
  {
    title: 're-exported through an index.ts (`export { X as Y } from`, `export *`)',
    files: {
      'src/task.ts': lines("import { SUPPORT, SALES } from './prompts';", "ctx.playground('p', SUPPORT); ctx.playground('q', SALES);"),
      'src/prompts/index.ts': lines("export { SUPPORT_PROMPT as SUPPORT } from './support';", "export * from './sales';", ''),
      'src/prompts/support.ts': lines("export const SUPPORT_PROMPT = 'Be kind.';", ''),
      'src/prompts/sales.ts': lines("export const SALES = 'Be brief.';", ''),
    },
    name: 'p',
    value: 'Be kinder.',
    kind: 'const',
    expected: { 'src/prompts/support.ts': lines("export const SUPPORT_PROMPT = 'Be kinder.';", '') },
  },
  {
    title: 'a tsconfig `paths` alias (tsconfig with comments and trailing commas), a local `export { }` and a member',
    files: {
      'src/task.ts': lines("import { PROMPTS } from '@app/prompts';", "ctx.playground('p', PROMPTS.support);"),
      'tsconfig.json': lines(
        '{',
        '  // aliases',
        '  "compilerOptions": { "baseUrl": ".", "paths": { "@app/*": ["src/lib/*"], }, },',
        '}',
        '',
      ),
      'src/lib/prompts.ts': lines('const PROMPTS = {', "  support: 'Be kind.',", '};', 'export { PROMPTS };', ''),
    },
    name: 'p',
    value: 'Be kinder.',
    kind: 'const',
    expected: { 'src/lib/prompts.ts': lines('const PROMPTS = {', "  support: 'Be kinder.',", '};', 'export { PROMPTS };', '') },
  },
  {
    title: 'a default import of a JSON file (`with { type: "json" }`) and a member: indentation, key order and final newline kept',
    files: {
      'src/task.ts': lines("import prompts from './prompts.json' with { type: 'json' };", "ctx.playground('p', prompts.support);"),
      'src/prompts.json': lines('{', '    "support": "Be kind.",', '    "sales": "Be brief."', '}', ''),
    },
    name: 'p',
    value: 'Say "hi"\nthen help.',
    kind: 'json',
    expected: { 'src/prompts.json': lines('{', '    "support": "Say \\"hi\\"\\nthen help.",', '    "sales": "Be brief."', '}', '') },
  },
  {
    title: "a JSON object default whose shape changed is rewritten whole, in the file's indentation",
    files: {
      'src/task.ts': lines("import config from './config.json';", "ctx.playground('cfg', config.model);"),
      'src/config.json': lines('{', '\t"model": {', '\t\t"name": "small"', '\t},', '\t"other": 1', '}', ''),
    },
    name: 'cfg',
    value: { name: 'large', temperature: 0.2 },
    kind: 'json',
    expected: {
      'src/config.json': lines('{', '\t"model": {', '\t\t"name": "large",', '\t\t"temperature": 0.2', '\t},', '\t"other": 1', '}', ''),
    },
  },
  {
    title: 'minimal edit in an object default: one leaf changes, comments and layout survive',
    files: {
      'src/task.ts': lines(
        "ctx.playground('cfg', {",
        '  model: "small", // cheap',
        '  /* sampling */ temperature: 0.70,',
        '  stop: ["\\n\\n",   "END"],',
        '});',
      ),
    },
    name: 'cfg',
    value: { model: 'small', temperature: 0.2, stop: ['\n\n', 'STOP'] },
    kind: 'argument',
    expected: {
      'src/task.ts': lines(
        "ctx.playground('cfg', {",
        '  model: "small", // cheap',
        '  /* sampling */ temperature: 0.2,',
        '  stop: ["\\n\\n",   "STOP"],',
        '});',
      ),
    },
  },
  {
    title: 'a JSON member that is a number: replaced in place',
    files: {
      'src/task.ts': lines("import settings from './settings.json';", "ctx.playground('t', settings.draft.temperature);"),
      'src/settings.json': crlfLines('{ "draft": { "temperature": 0.7, "model": "small" } }', ''),
    },
    name: 't',
    value: 0.25,
    kind: 'json',
    expected: { 'src/settings.json': crlfLines('{ "draft": { "temperature": 0.25, "model": "small" } }', '') },
  },
];

describe('rewritePlaygroundDefaultInRepository corpus', () => {
  it.each(repositoryCorpus)('$title', async (c) => {
    const [callPath, callSource] = Object.entries(c.files)[0]!;
    const read = async (path: string) => c.files[path] ?? null;
    const request = { path: callPath, name: c.name, value: c.value, ...positionOf(callSource, `playground('${c.name}'`) };
    const result = await rewritePlaygroundDefaultInRepository(request, read);
    expect(result.changed).toBe(true);
    expect(result.edit.kind).toBe(c.kind);
    expect({ [result.path]: result.source }).toEqual(c.expected);
    expect(result.original).toBe(c.files[result.path]);
    const offset = lineOffset(result.original, result.edit.line) + result.edit.column - 1;
    expect(result.original.slice(offset, offset + result.before.length)).toBe(result.before);
    expect(result.original.slice(0, offset) + result.after + result.original.slice(offset + result.before.length)).toBe(result.source);
    // Asking again against the rewritten repository changes nothing.
    const files = { ...c.files, [result.path]: result.source };
    const again = await rewritePlaygroundDefaultInRepository(request, async (path) => files[path] ?? null);
    expect(again.changed).toBe(false);
  });
});
