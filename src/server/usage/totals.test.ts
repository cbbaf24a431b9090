import { describe, expect, it } from 'vitest';
import { addTotals, byModel, emptyTotals, unpricedModels, type ModelUsage } from './totals';

const row = (
  model: string,
  provider: string | null,
  calls: number,
  costUsd: number | null,
  unpricedCalls = costUsd === null ? calls : 0,
): ModelUsage => ({
  model,
  provider,
  calls,
  inputTokens: calls * 100,
  outputTokens: calls * 10,
  costUsd,
  unpricedCalls,
});

describe('usage totals', () => {
  it('sums priced calls and keeps the cost unknown only while no call was priced', () => {
    const total = emptyTotals();
    expect(total.costUsd).toBe(0);
    addTotals(total, row('x', null, 2, null));
    expect(total).toEqual({ calls: 2, inputTokens: 200, outputTokens: 20, costUsd: null, unpricedCalls: 2 });
    addTotals(total, row('gpt-4o-mini', 'openai', 1, 0.25));
    expect(total).toEqual({ calls: 3, inputTokens: 300, outputTokens: 30, costUsd: 0.25, unpricedCalls: 2 });
  });

  it('merges rows per model, most expensive first, keeping a provider only when all agree', () => {
    const models = byModel([
      row('gpt-4o-mini', 'openai', 1, 0.1),
      row('claude-3-5-haiku-latest', 'anthropic', 1, 0.5),
      row('gpt-4o-mini', null, 2, 0.2),
      row('claude-3-5-haiku-latest', 'anthropic', 1, 0.5),
      row('in-house', null, 3, null),
    ]);
    expect(models.map((m) => [m.model, m.provider, m.calls, m.costUsd])).toEqual([
      ['claude-3-5-haiku-latest', 'anthropic', 2, 1],
      ['gpt-4o-mini', null, 3, expect.closeTo(0.3, 12)],
      ['in-house', null, 3, null],
    ]);
    expect(unpricedModels(models)).toEqual(['in-house']);
  });
});
