import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crlfLines, lines, positionOf } from '@/server/playground/rewrite/test-helpers';
import { BadRequestError } from '@/server/errors';
import { localSourceRoot, readLocalSource } from './local-source';
import { offsetOf, planRewrite } from './plan';
import type { VariantVariable } from './variant';

// The patch "Download patch" gives must apply with `git apply`: each case writes the files into a
// fresh git repository, checks and applies the patch there, and compares the result.

const SUPPORT = lines(
  "import { ws } from './client';",
  '',
  'const TONE = { style: "warm", emoji: false };',
  '',
  "export const draft = ws.task({ name: 'draft', fn: async (input: { q: string }, ctx) => {",
  "  const system = ctx.playground('systemPrompt', `You are a concise support agent.",
  'Answer in two sentences.`);',
  "  const temperature = ctx.playground('temperature', 0.2);",
  "  const tone = ctx.playground('tone', TONE);",
  '  return { system, temperature, tone, q: input.q };',
  '} });',
  '',
);

const TRIAGE = lines("export const triage = (ctx) => ctx.playground('threshold', 0.6);", '');

const at = (source: string, name: string, file: string, value: unknown, defaultValue: unknown = null): VariantVariable => ({
  name,
  file,
  ...positionOf(source, source.includes(`playground('${name}'`) ? `playground('${name}'` : `playground("${name}"`),
  value,
  defaultValue,
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A git repository holding `files`. */
function gitRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ws-patch-'));
  dirs.push(dir);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** `git apply --check` then `git apply` of `patch` in `dir`; the files afterwards. */
function gitApply(dir: string, patch: string, paths: string[]): Record<string, string> {
  writeFileSync(join(dir, 'change.patch'), patch);
  execFileSync('git', ['apply', '--check', 'change.patch'], { cwd: dir, stdio: 'pipe' });
  execFileSync('git', ['apply', 'change.patch'], { cwd: dir, stdio: 'pipe' });
  return Object.fromEntries(paths.map((p) => [p, readFileSync(join(dir, p), 'utf8')]));
}

const fromFiles = (files: Record<string, string>) => async (path: string) => {
  if (!(path in files)) throw new Error(`no ${path}`);
  return files[path]!;
};

describe('planRewrite + the patch', () => {
  it('rewrites several variables of one file bottom-up (a multi-line prompt above a number and a const) and git applies the diff', async () => {
    const files = { 'src/support.ts': SUPPORT };
    const plan = await planRewrite(
      [
        at(SUPPORT, 'temperature', 'src/support.ts', 0.7, 0.2),
        at(SUPPORT, 'systemPrompt', 'src/support.ts', 'You are a warm support agent.\nApologise first.\nThen answer.'),
        at(SUPPORT, 'tone', 'src/support.ts', { style: 'formal', emoji: false }),
      ],
      (file) => file,
      fromFiles(files),
    );
    const expected = SUPPORT.replace(
      '`You are a concise support agent.\nAnswer in two sentences.`',
      '`You are a warm support agent.\nApologise first.\nThen answer.`',
    )
      .replace("'temperature', 0.2", "'temperature', 0.7")
      .replace('{ style: "warm", emoji: false }', '{ style: "formal", emoji: false }');
    expect(plan.files).toHaveLength(1);
    expect(plan.files[0]!.after).toBe(expected);
    expect(plan.files[0]!.variables).toEqual(['systemPrompt', 'temperature', 'tone']);
    expect(plan.variables.map((v) => [v.name, v.before, v.after, v.edit.kind])).toEqual([
      [
        'systemPrompt',
        '`You are a concise support agent.\nAnswer in two sentences.`',
        '`You are a warm support agent.\nApologise first.\nThen answer.`',
        'argument',
      ],
      ['temperature', '0.2', '0.7', 'argument'],
      ['tone', '{ style: "warm", emoji: false }', '{ style: "formal", emoji: false }', 'const'],
    ]);
    const diff = plan.files[0]!.diff;
    expect(diff.split('\n').slice(0, 3)).toEqual([
      'diff --git a/src/support.ts b/src/support.ts',
      '--- a/src/support.ts',
      '+++ b/src/support.ts',
    ]);
    expect(gitApply(gitRepo(files), diff, ['src/support.ts'])).toEqual({ 'src/support.ts': expected });
  });

  it('one patch for two files applies at once; a file whose value is already the default is left out', async () => {
    const noNewline = 'export const model = (ctx) => ctx.playground("model", "small");';
    const files = { 'src/support.ts': SUPPORT, 'src/triage.ts': TRIAGE, 'lib/model.ts': noNewline };
    const plan = await planRewrite(
      [
        at(TRIAGE, 'threshold', 'src/triage.ts', 0.75),
        at(SUPPORT, 'temperature', 'src/support.ts', 0.2),
        at(noNewline, 'model', 'lib/model.ts', 'large'),
      ],
      (file) => file,
      fromFiles(files),
    );
    expect(plan.files.map((f) => f.path)).toEqual(['lib/model.ts', 'src/triage.ts']);
    const patch = plan.files.map((f) => f.diff).join('');
    expect(patch).toContain('\\ No newline at end of file');
    expect(gitApply(gitRepo(files), patch, ['src/support.ts', 'src/triage.ts', 'lib/model.ts'])).toEqual({
      'src/support.ts': SUPPORT,
      'src/triage.ts': TRIAGE.replace('0.6', '0.75'),
      'lib/model.ts': noNewline.replace('"small"', '"large"'),
    });
  });

  it('keeps CRLF line endings, and the patch applies to the CRLF file', async () => {
    const source = crlfLines('export function f(ctx) {', "  const p = ctx.playground('prompt', 'old');", '  return p;', '}', '');
    const files = { 'win.ts': source };
    const plan = await planRewrite([at(source, 'prompt', 'win.ts', 'new')], (f) => f, fromFiles(files));
    expect(plan.files[0]!.after).toBe(source.replace("'old'", "'new'"));
    expect(gitApply(gitRepo(files), plan.files[0]!.diff, ['win.ts'])).toEqual({ 'win.ts': source.replace("'old'", "'new'") });
  });

  it('maps recorded paths into the repository (path prefix) and reads them there', async () => {
    const read: string[] = [];
    const plan = await planRewrite(
      [at(TRIAGE, 'threshold', 'src/triage.ts', 0.9)],
      (f) => `worker/${f}`,
      async (path) => (read.push(path), TRIAGE),
    );
    expect(read).toEqual(['worker/src/triage.ts']);
    expect(plan.files[0]!.diff).toContain('--- a/worker/src/triage.ts\n+++ b/worker/src/triage.ts\n');
  });

  it('two variables defaulting to the same const: the same new value is one edit, different values are refused', async () => {
    const source = lines('const BASE = 1;', "const a = ctx.playground('a', BASE);", "const b = ctx.playground('b', BASE);", '');
    const same = await planRewrite([at(source, 'a', 'x.ts', 2), at(source, 'b', 'x.ts', 2)], (f) => f, fromFiles({ 'x.ts': source }));
    expect(same.files[0]!.after).toBe(source.replace('BASE = 1', 'BASE = 2'));
    await expect(
      planRewrite([at(source, 'a', 'x.ts', 2), at(source, 'b', 'x.ts', 3)], (f) => f, fromFiles({ 'x.ts': source })),
    ).rejects.toThrow("x.ts: playground variables 'a' and 'b' take their defaults from the same place in the code");
  });

  it('a call that is not in the file, or a default that is not a literal, is a clear BAD_REQUEST', async () => {
    const moved = lines("const t = ctx.playground('temperature_v2', 0.2);", '');
    const callNotFound = planRewrite(
      [{ name: 'temperature', file: 'a.ts', line: 1, column: 15, value: 1, defaultValue: 0.2 }],
      (f) => f,
      fromFiles({ 'a.ts': moved }),
    );
    await expect(callNotFound).rejects.toBeInstanceOf(BadRequestError);
    await expect(callNotFound).rejects.toMatchObject({ kind: 'bad_request', message: expect.stringMatching(/a\.ts.*temperature/) });

    const computed = lines("const t = ctx.playground('temperature', Math.min(1, 0.2));", '');
    await expect(planRewrite([at(computed, 'temperature', 'b.ts', 1)], (f) => f, fromFiles({ 'b.ts': computed }))).rejects.toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining('b.ts'),
    });
  });
});

describe('planRewrite: defaults imported from other files', () => {
  const TASK = lines(
    "import { SUPPORT_PROMPT } from './prompts.js';",
    "import settings from './prompts.json' with { type: 'json' };",
    '',
    'export const draft = (ctx) => ({',
    "  system: ctx.playground('system', SUPPORT_PROMPT),",
    "  greeting: ctx.playground('greeting', settings.greeting),",
    "  model: ctx.playground('model', 'small'),",
    '});',
    '',
  );
  const PROMPTS_TS = lines('// Prompts live here.', 'export const SUPPORT_PROMPT = `Be kind.', 'Be brief.`;', '');
  const PROMPTS_JSON = lines('{', '  "greeting": "Hello!",', '  "signature": "Support"', '}', '');
  const files = { 'src/draft.ts': TASK, 'src/prompts.ts': PROMPTS_TS, 'src/prompts.json': PROMPTS_JSON };

  it('one patch edits prompts.ts and prompts.json (and the call site for its own literal), read from the local checkout; git applies it', async () => {
    const root = gitRepo(files);
    const plan = await planRewrite(
      [
        at(TASK, 'system', 'src/draft.ts', 'Be warm.\nBe brief.'),
        at(TASK, 'greeting', 'src/draft.ts', 'Hi there!'),
        at(TASK, 'model', 'src/draft.ts', 'large'),
      ],
      (f) => f,
      (path) => readLocalSource(root, path),
    );
    expect(plan.files.map((f) => [f.path, f.variables])).toEqual([
      ['src/draft.ts', ['model']],
      ['src/prompts.json', ['greeting']],
      ['src/prompts.ts', ['system']],
    ]);
    expect(plan.variables.map((v) => [v.name, v.path, v.edit.path, v.edit.line, v.edit.kind, v.before, v.after])).toEqual([
      ['system', 'src/draft.ts', 'src/prompts.ts', 2, 'const', '`Be kind.\nBe brief.`', '`Be warm.\nBe brief.`'],
      ['greeting', 'src/draft.ts', 'src/prompts.json', 2, 'json', '"Hello!"', '"Hi there!"'],
      ['model', 'src/draft.ts', 'src/draft.ts', 7, 'argument', "'small'", "'large'"],
    ]);
    const patch = plan.files.map((f) => f.diff).join('');
    expect(gitApply(root, patch, Object.keys(files))).toEqual({
      'src/draft.ts': TASK.replace("'small'", "'large'"),
      'src/prompts.ts': lines('// Prompts live here.', 'export const SUPPORT_PROMPT = `Be warm.', 'Be brief.`;', ''),
      'src/prompts.json': lines('{', '  "greeting": "Hi there!",', '  "signature": "Support"', '}', ''),
    });
  });

  it('two variables taking the same imported const with different values are refused, naming both', async () => {
    const two = lines(
      "import { SUPPORT_PROMPT } from './prompts';",
      "ctx.playground('a', SUPPORT_PROMPT);",
      "ctx.playground('b', SUPPORT_PROMPT);",
      '',
    );
    const root = gitRepo({ 'src/two.ts': two, 'src/prompts.ts': PROMPTS_TS });
    const read = (path: string) => readLocalSource(root, path);
    const same = await planRewrite([at(two, 'a', 'src/two.ts', 'x'), at(two, 'b', 'src/two.ts', 'x')], (f) => f, read);
    expect(same.files.map((f) => [f.path, f.variables])).toEqual([['src/prompts.ts', ['a', 'b']]]);
    await expect(planRewrite([at(two, 'a', 'src/two.ts', 'x'), at(two, 'b', 'src/two.ts', 'y')], (f) => f, read)).rejects.toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining("src/prompts.ts: playground variables 'a' and 'b' take their defaults from the same place"),
    });
  });

  it('an import the repository does not have is a BAD_REQUEST naming the specifier; the missing call-site file stays NOT_FOUND', async () => {
    const lone = lines("import { P } from './gone';", "ctx.playground('p', P);", '');
    const root = gitRepo({ 'src/lone.ts': lone });
    await expect(
      planRewrite(
        [at(lone, 'p', 'src/lone.ts', 'x')],
        (f) => f,
        (path) => readLocalSource(root, path),
      ),
    ).rejects.toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining("'./gone' is not a file of the repository"),
    });
    await expect(
      planRewrite(
        [at(lone, 'p', 'src/other.ts', 'x')],
        (f) => f,
        (path) => readLocalSource(root, path),
      ),
    ).rejects.toMatchObject({
      kind: 'not_found',
    });
  });
});

describe('offsetOf', () => {
  it('counts \\n, \\r\\n, \\r and U+2028 as line breaks, as the parser does', () => {
    const text = 'a\r\nbb\rc\u2028dd\nx';
    expect(text[offsetOf(text, 2, 2)]).toBe('b');
    expect(text[offsetOf(text, 3, 1)]).toBe('c');
    expect(text[offsetOf(text, 4, 2)]).toBe('d');
    expect(text[offsetOf(text, 5, 1)]).toBe('x');
  });
});

describe('local source', () => {
  it('the root is WHETSTONE_SOURCE_ROOT, else the git root above the working directory', () => {
    const repo = gitRepo({ 'deep/dir/file.ts': '' });
    expect(localSourceRoot({ WHETSTONE_SOURCE_ROOT: '/srv/app' }, repo)).toBe('/srv/app');
    expect(localSourceRoot({}, join(repo, 'deep/dir'))).toBe(repo);
  });

  it('reads files under the root; refuses paths and links leading outside it; a missing file says where it looked', async () => {
    const outside = gitRepo({ 'secret.txt': 'top secret' });
    const root = gitRepo({ 'src/a.ts': 'ok' });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'src/link.ts'));
    expect(await readLocalSource(root, 'src/a.ts')).toBe('ok');
    await expect(readLocalSource(root, '../x/secret.txt')).rejects.toMatchObject({
      kind: 'bad_request',
      message: "'../x/secret.txt' is outside the server's source root",
    });
    await expect(readLocalSource(root, 'src/link.ts')).rejects.toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining('is outside the server'),
    });
    await expect(readLocalSource(root, 'src/missing.ts')).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining(`File 'src/missing.ts' not found under the server's source root ${root}`),
    });
  });
});
