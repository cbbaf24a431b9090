import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { originalPosition, parseStack, relativeToSourceRoot, userFrame } from './callsite';
import { Context, recordedVariables } from './context';
import { taskJobSchema } from '../contract';

const sdkDir = resolve(import.meta.dirname, '../..');
const fixtures = join(sdkDir, 'test-fixtures/callsite');
const repoRoot = resolve(sdkDir, '../..');

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('parseStack / userFrame', () => {
  const stack = [
    'Error',
    '    at captureCallsite (/repo/node_modules/@whetstone/sdk/dist/context/callsite.js:27:23)',
    '    at Context.playground (file:///repo/node_modules/@whetstone/sdk/dist/context/context.js:101:22)',
    '    at /repo/src/anonymous.js:3:9',
    '    at async Object.fn (/repo/src/tasks/draft.ts:12:25)',
    '    at new Thing (/repo/src/with (parens).ts:4:1)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ].join('\n');

  it('reads every frame: named, anonymous, async, constructors, file URLs, node internals', () => {
    expect(parseStack(stack)).toEqual([
      { file: '/repo/node_modules/@whetstone/sdk/dist/context/callsite.js', line: 27, column: 23 },
      { file: '/repo/node_modules/@whetstone/sdk/dist/context/context.js', line: 101, column: 22 },
      { file: '/repo/src/anonymous.js', line: 3, column: 9 },
      { file: '/repo/src/tasks/draft.ts', line: 12, column: 25 },
      { file: '/repo/src/with (parens).ts', line: 4, column: 1 },
      { file: 'node:internal/process/task_queues', line: 95, column: 5 },
    ]);
  });

  it('skips the SDK frames to find the user call', () => {
    const isSdk = (file: string) => file.includes('/@whetstone/sdk/');
    expect(userFrame(stack, isSdk)).toEqual({ file: '/repo/src/anonymous.js', line: 3, column: 9 });
    expect(userFrame('Error\n    at node:internal/main:1:1', isSdk)).toBeNull();
  });
});

describe('source maps', () => {
  it('maps a compiled .js position back to the .ts source through the .js.map next to it', () => {
    // compiled/task.js line 2: `    return ctx.playground(…)`; src/task.ts line 7: `  return ctx.playground(…)`.
    const compiled = join(fixtures, 'compiled/task.js');
    expect(originalPosition({ file: compiled, line: 2, column: 16 })).toEqual({ file: join(fixtures, 'src/task.ts'), line: 7, column: 14 });
  });

  it('reads an inline (data: URL) source map too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-callsite-'));
    const map = { version: 3, sources: ['orig.ts'], names: [], mappings: ';;AAAA,MAAM' }; // line 3 col 1 → orig line 1 col 1; col 7 → col 7
    const file = join(dir, 'out.js');
    writeFileSync(
      file,
      `\n\nfoo();bar();\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`,
    );
    expect(originalPosition({ file, line: 3, column: 7 })).toEqual({ file: join(dir, 'orig.ts'), line: 1, column: 7 });
  });

  it('leaves positions in files without a map, and in .ts files (already mapped by the runtime), as they are', () => {
    const ts = { file: join(fixtures, 'src/task.ts'), line: 7, column: 14 };
    expect(originalPosition(ts)).toBe(ts);
    const plain = { file: join(sdkDir, 'package.json.js'), line: 1, column: 1 };
    expect(originalPosition(plain)).toBe(plain);
  });

  it('records the .ts call site of a task compiled to JS', async () => {
    const { temperature } = (await import(join(fixtures, 'compiled/task.js'))) as { temperature: (ctx: Context) => number };
    const job = taskJobSchema.parse({ taskRunId: 't', runId: 'r', workflow: 'wf', task: 'task', input: {}, parentOutputs: {} });
    const ctx = new Context(job, 1, new AbortController().signal, () => undefined);
    expect(temperature(ctx)).toBe(0.7);
    expect(recordedVariables(ctx)![0]!.callsite).toEqual({ file: 'packages/sdk/test-fixtures/callsite/src/task.ts', line: 7, column: 14 });
  });
});

describe('call sites under tsx', () => {
  it('points at the .ts line and the `playground` identifier of the call', () => {
    const out = execFileSync(join(repoRoot, 'node_modules/.bin/tsx'), [join(fixtures, 'under-tsx.ts')], {
      cwd: tmpdir(),
      encoding: 'utf8',
    });
    // under-tsx.ts line 7: `const greeting: string = ctx.playground('greeting', 'hello');`
    expect(JSON.parse(out)).toEqual({
      greeting: 'hello',
      callsite: { file: 'packages/sdk/test-fixtures/callsite/under-tsx.ts', line: 7, column: 30 },
    });
  });
});

describe('relativeToSourceRoot', () => {
  it('is relative to the nearest directory holding .git, with forward slashes', () => {
    expect(relativeToSourceRoot(join(repoRoot, 'src/a/b.ts'))).toBe('src/a/b.ts');
  });

  it('is relative to WHETSTONE_SOURCE_ROOT when set; a file outside it keeps its absolute path', () => {
    vi.stubEnv('WHETSTONE_SOURCE_ROOT', join(repoRoot, 'packages'));
    expect(relativeToSourceRoot(join(repoRoot, 'packages/sdk/src/x.ts'))).toBe('sdk/src/x.ts');
    expect(relativeToSourceRoot('/elsewhere/x.ts')).toBe('/elsewhere/x.ts');
  });
});
