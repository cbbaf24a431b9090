import { calcPrice, findProvider } from '@pydantic/genai-prices';
import type { LlmUsage } from '@whetstone/sdk/contract';
import type { CostSource, Prisma, PrismaClient } from '@/server/db/client';

// Prices come from the table bundled in @pydantic/genai-prices (its `calcPrice` reads only that
// data unless `updatePrices` is called, which we never do): pricing works offline and a cost
// never changes because a remote file did. Upgrading the package updates the table.

const MAX_INT = 2_147_483_647;

export interface PricedUsage {
  costUsd: number | null;
  costSource: CostSource;
}

/** The cost of one call: as reported, else computed from the model's price at `at`, else unknown. */
export function priceUsage(call: Pick<LlmUsage, 'model' | 'provider' | 'inputTokens' | 'outputTokens' | 'costUsd'>, at: Date): PricedUsage {
  if (call.costUsd !== undefined) return { costUsd: call.costUsd, costSource: 'REPORTED' };
  const computed = computeCostUsd(call.model, call.provider, call.inputTokens, call.outputTokens, at);
  return computed === null ? { costUsd: null, costSource: 'UNKNOWN' } : { costUsd: computed, costSource: 'COMPUTED' };
}

/** Cost in USD from the bundled price table, or null when the model is not in it. */
export function computeCostUsd(
  model: string,
  provider: string | undefined,
  inputTokens: number,
  outputTokens: number,
  at: Date,
): number | null {
  const usage = { input_tokens: inputTokens, output_tokens: outputTokens };
  try {
    // A provider the table does not know (a proxy, a self-hosted gateway) still finds the model by its name.
    const knownProvider = provider && findProvider({ providerId: provider }) ? provider : undefined;
    const price = calcPrice(usage, model, { ...(knownProvider ? { providerId: knownProvider } : {}), timestamp: at });
    return price && Number.isFinite(price.total_price) ? price.total_price : null;
  } catch {
    // The library throws on malformed price entries; an unpriceable call is "unknown", not a lost report.
    return null;
  }
}

/**
 * Stores the LLM calls of one attempt, once: a re-delivered or concurrently applied report of
 * the same attempt finds them stored and adds nothing. The advisory lock (per task run and
 * attempt, held until commit) makes "none stored yet → insert" atomic without a unique key.
 */
export async function recordAttemptUsage(
  prisma: PrismaClient,
  taskRunId: string,
  attempt: number,
  usage: readonly LlmUsage[] | undefined,
  at: Date,
): Promise<void> {
  if (!usage?.length || attempt > MAX_INT) return;
  const rows = usageRows(taskRunId, attempt, usage, at);
  await prisma.$transaction(async (tx) => {
    await lockAttemptUsage(tx, taskRunId, attempt);
    const stored = await tx.taskRunUsage.count({ where: { taskRunId, attempt } });
    if (stored === 0) await tx.taskRunUsage.createMany({ data: rows });
  });
}

/** TaskRunUsage rows of reported calls, priced at `at` (now when `at` is not a valid time). */
export function usageRows(taskRunId: string, attempt: number, usage: readonly LlmUsage[], at: Date, createdAt?: Date) {
  const when = Number.isNaN(at.getTime()) ? new Date() : at;
  return usage.map((call) => ({
    taskRunId,
    attempt,
    model: call.model,
    provider: call.provider ?? null,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    ...priceUsage(call, when),
    ...(createdAt ? { createdAt } : {}),
  }));
}

/** Reports of one attempt store their calls one at a time (held until the transaction ends). */
export async function lockAttemptUsage(tx: Prisma.TransactionClient, taskRunId: string, attempt: number): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`usage:${taskRunId}:${attempt}`}, 0))::text AS locked`;
}
