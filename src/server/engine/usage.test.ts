import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Pricing must never touch the network: every fetch in this file throws, and the modules are
// imported only after the stub is in place (so an import-time fetch would fail too).
const fetchSpy = vi.fn(() => {
  throw new Error('network access during pricing');
});
let usage: typeof import('./usage');
let prices: typeof import('@pydantic/genai-prices');

beforeAll(async () => {
  vi.stubGlobal('fetch', fetchSpy);
  usage = await import('./usage');
  prices = await import('@pydantic/genai-prices');
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const at = new Date('2026-01-15T12:00:00Z');

/** The table's per-million-token prices of a model, read from the bundled data itself. */
function tablePrice(providerId: string, modelId: string): { input: number; output: number } {
  const provider = prices.findProvider({ providerId });
  const model = provider?.models.find((m) => m.id === modelId);
  if (!model || Array.isArray(model.prices)) throw new Error(`no flat price for ${providerId}/${modelId} in the table`);
  return { input: Number(model.prices.input_mtok), output: Number(model.prices.output_mtok) };
}

describe('pricing LLM calls', () => {
  it('computes a known model from the bundled table: tokens × the per-token price', () => {
    const { input, output } = tablePrice('openai', 'gpt-4o-mini');
    expect(input).toBeGreaterThan(0);
    const priced = usage.priceUsage({ model: 'gpt-4o-mini', provider: 'openai', inputTokens: 12_000, outputTokens: 3_400 }, at);
    expect(priced.costSource).toBe('COMPUTED');
    expect(priced.costUsd).toBeGreaterThan(0);
    expect(priced.costUsd).toBeCloseTo((12_000 * input + 3_400 * output) / 1_000_000, 12);
  });

  it('finds the model without a provider, and with a provider the table does not know', () => {
    const expected = usage.priceUsage({ model: 'gpt-4o-mini', provider: 'openai', inputTokens: 1000, outputTokens: 1000 }, at).costUsd;
    expect(usage.priceUsage({ model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 1000 }, at).costUsd).toBe(expected);
    expect(usage.priceUsage({ model: 'gpt-4o-mini', provider: 'my-gateway', inputTokens: 1000, outputTokens: 1000 }, at).costUsd).toBe(
      expected,
    );
  });

  it('prices an Anthropic model from its own table entry', () => {
    const { input, output } = tablePrice('anthropic', 'claude-3-5-haiku-latest');
    const priced = usage.priceUsage({ model: 'claude-3-5-haiku-latest', provider: 'anthropic', inputTokens: 500, outputTokens: 200 }, at);
    expect(priced).toEqual({ costSource: 'COMPUTED', costUsd: expect.closeTo((500 * input + 200 * output) / 1_000_000, 12) });
  });

  it('keeps a reported cost, even for a model the table knows', () => {
    expect(usage.priceUsage({ model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0, costUsd: 0.5 }, at)).toEqual({
      costUsd: 0.5,
      costSource: 'REPORTED',
    });
    expect(usage.priceUsage({ model: 'in-house-model', inputTokens: 10, outputTokens: 10, costUsd: 0 }, at)).toEqual({
      costUsd: 0,
      costSource: 'REPORTED',
    });
  });

  it('marks a model missing from the table as unknown, with no cost', () => {
    expect(usage.priceUsage({ model: 'in-house-model-7b', inputTokens: 1000, outputTokens: 1000 }, at)).toEqual({
      costUsd: null,
      costSource: 'UNKNOWN',
    });
    // A known model under a provider the table knows but that does not sell it.
    expect(usage.priceUsage({ model: 'in-house-model-7b', provider: 'openai', inputTokens: 1, outputTokens: 1 }, at).costSource).toBe(
      'UNKNOWN',
    );
  });

  it('zero tokens cost zero, and nothing above went to the network', () => {
    expect(usage.priceUsage({ model: 'gpt-4o-mini', inputTokens: 0, outputTokens: 0 }, at)).toEqual({ costUsd: 0, costSource: 'COMPUTED' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
