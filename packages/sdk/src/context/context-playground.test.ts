import { describe, expect, it } from 'vitest';
import { Context, recordedVariables } from './context';
import { workerReportSchema, taskJobSchema } from '../contract';

function newContext(overrides?: Record<string, unknown>) {
  const job = taskJobSchema.parse({ taskRunId: 't1', runId: 'r1', workflow: 'wf', task: 'draft', input: {}, parentOutputs: {}, overrides });
  return new Context(job, 1, new AbortController().signal, () => undefined);
}

describe('ctx.playground()', () => {
  it('returns the default on a normal run and records each variable with its call site', () => {
    const ctx = newContext();
    expect(recordedVariables(ctx)).toBeUndefined();
    expect(ctx.playground('prompt', 'Summarize: {text}')).toBe('Summarize: {text}');
    expect(ctx.playground('temperature', 0.2)).toBe(0.2);
    const options = { tags: ['a'], strict: true, limit: null };
    expect(ctx.playground('options', options)).toBe(options);
    const variables = recordedVariables(ctx)!;
    expect(variables.map(({ callsite: _, ...v }) => v)).toEqual([
      { name: 'prompt', default: 'Summarize: {text}', value: 'Summarize: {text}', overridden: false },
      { name: 'temperature', default: 0.2, value: 0.2, overridden: false },
      { name: 'options', default: options, value: options, overridden: false },
    ]);
    expect(variables[0]!.callsite).toEqual({ file: 'packages/sdk/src/context/context-playground.test.ts', line: 14, column: 16 });
    // What the worker sends passes the engine's contract.
    const report = {
      type: 'task.succeeded',
      taskRunId: 't1',
      attempt: 1,
      workerId: 'w',
      output: null,
      at: new Date().toISOString(),
      variables,
    };
    expect(workerReportSchema.parse(report)).toMatchObject({ variables });
  });

  it('returns the override on a playground run, whatever its type, and records both values', () => {
    const ctx = newContext({ temperature: 'hot', prompt: null });
    expect(ctx.playground('temperature', 0.2)).toBe('hot');
    expect(ctx.playground('prompt', 'default')).toBeNull();
    expect(ctx.playground('untouched', [1, 2])).toEqual([1, 2]);
    expect(recordedVariables(ctx)!.map((v) => [v.name, v.default, v.value, v.overridden])).toEqual([
      ['temperature', 0.2, 'hot', true],
      ['prompt', 'default', null, true],
      ['untouched', [1, 2], [1, 2], false],
    ]);
  });

  it('returns the first value and records once when a name is used twice', () => {
    const ctx = newContext();
    const first = ctx.playground('prompt', 'one');
    const second = ctx.playground('prompt', 'two');
    expect(second).toBe(first);
    expect(recordedVariables(ctx)!).toHaveLength(1);
    expect(recordedVariables(ctx)![0]!.callsite!.line).toBe(52); // the first call's line
  });

  it('reports a copy of the default: later changes by the task do not alter it', () => {
    const ctx = newContext();
    const value = ctx.playground('options', { n: 1 });
    value.n = 2;
    expect(recordedVariables(ctx)![0]!.default).toEqual({ n: 1 });
  });

  it.each(['', 'a b', 'x'.repeat(101), 'naïve', 'a/b', 42])('refuses the invalid name %j', (name) => {
    expect(() => newContext().playground(name as string, 1)).toThrow(/^ctx\.playground\(\): invalid name .* in task 'draft'/);
  });

  it('accepts names of letters, digits, -, _ and . up to 100 characters', () => {
    const ctx = newContext();
    for (const name of ['a', 'prompt.system-v2_final', 'x'.repeat(100)]) expect(ctx.playground(name, 1)).toBe(1);
  });

  class Settings {
    level = 1;
  }
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a bigint', 10n],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a cyclic object', cyclic],
    ['a Date', new Date()],
    ['a class instance', new Settings()],
    ['an undefined property', { a: undefined }],
    ['a nested function', { a: [1, () => 2] }],
  ])('refuses %s as a default, naming the variable', (_kind, value) => {
    expect(() => newContext().playground('my-var', value)).toThrow(
      /ctx\.playground\('my-var'\) in task 'draft': the default value must be JSON/,
    );
  });
});
