import { describe, expect, it } from 'vitest';
import { Context, recordedUsage, type UsageCall } from './context';
import { workerReportSchema, MAX_USAGE_ENTRIES, taskJobSchema } from '../contract';

function newContext() {
  const job = taskJobSchema.parse({ taskRunId: 't1', runId: 'r1', workflow: 'wf', task: 'draft', input: {}, parentOutputs: {} });
  return new Context(job, 1, new AbortController().signal, () => undefined);
}

describe('ctx.usage()', () => {
  it('records every call of the attempt, in order, ready for the report', () => {
    const ctx = newContext();
    expect(recordedUsage(ctx)).toBeUndefined();
    ctx.usage({ model: 'gpt-4o-mini', inputTokens: 120, outputTokens: 40 });
    ctx.usage({ model: ' claude-3-5-haiku-latest ', provider: 'anthropic', inputTokens: 0, outputTokens: 7, costUsd: 0.0001 });
    const usage = recordedUsage(ctx);
    expect(usage).toEqual([
      { model: 'gpt-4o-mini', inputTokens: 120, outputTokens: 40 },
      { model: 'claude-3-5-haiku-latest', provider: 'anthropic', inputTokens: 0, outputTokens: 7, costUsd: 0.0001 },
    ]);
    // What the worker sends passes the engine's contract.
    const report = {
      type: 'task.succeeded',
      taskRunId: 't1',
      attempt: 1,
      workerId: 'w',
      output: null,
      at: new Date().toISOString(),
      usage,
    };
    expect(workerReportSchema.parse(report)).toMatchObject({ usage });
  });

  it.each<[string, Partial<UsageCall>, RegExp]>([
    ['an empty model', { model: '  ' }, /model must be a non-empty string/],
    ['a model over 200 characters', { model: 'm'.repeat(201) }, /at most 200 characters/],
    ['a model that is not a string', { model: 42 as unknown as string }, /model must be a non-empty string.*got 42/],
    ['negative tokens', { inputTokens: -1 }, /inputTokens must be a non-negative integer, got -1/],
    ['fractional tokens', { outputTokens: 1.5 }, /outputTokens must be a non-negative integer, got 1.5/],
    ['tokens as a string', { outputTokens: '12' as unknown as number }, /outputTokens must be a non-negative integer/],
    ['a negative cost', { costUsd: -0.01 }, /costUsd must be a non-negative finite number/],
    ['an infinite cost', { costUsd: Infinity }, /costUsd must be a non-negative finite number.*got Infinity/],
    ['a NaN cost', { costUsd: NaN }, /costUsd must be a non-negative finite number/],
    ['an empty provider', { provider: '' }, /provider must be a non-empty string/],
  ])('refuses %s with a clear error naming the task', (_name, change, message) => {
    const ctx = newContext();
    const call = () => ctx.usage({ model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1, ...change });
    expect(call).toThrow(message);
    expect(call).toThrow(/ctx\.usage\(\) in task 'draft'/);
    expect(recordedUsage(ctx)).toBeUndefined();
  });

  it('merges calls per model past the contract limit, keeping the totals', () => {
    const ctx = newContext();
    for (let i = 0; i < MAX_USAGE_ENTRIES + 10; i++) {
      ctx.usage({ model: i % 2 ? 'gpt-4o-mini' : 'gpt-4o', inputTokens: 10, outputTokens: 1 });
    }
    ctx.usage({ model: 'gpt-4o', inputTokens: 5, outputTokens: 5, costUsd: 0.25 });
    ctx.usage({ model: 'gpt-4o', inputTokens: 5, outputTokens: 5, costUsd: 0.5 });
    const usage = recordedUsage(ctx)!;
    expect(usage).toHaveLength(3);
    expect(usage.reduce((sum, u) => sum + u.inputTokens, 0)).toBe((MAX_USAGE_ENTRIES + 10) * 10 + 10);
    expect(usage.find((u) => u.costUsd !== undefined)).toEqual({ model: 'gpt-4o', inputTokens: 10, outputTokens: 10, costUsd: 0.75 });
  });
});
