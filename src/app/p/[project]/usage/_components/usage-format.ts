// Pure formatting for LLM usage (costs and token counts).

const usd2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usd4 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 4, maximumFractionDigits: 4 });
const usdSmall = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Dollars with the precision the amount needs: cents from $1 ("$12.34"), four decimals from
 * one cent ("$0.0123"), three significant digits below ("$0.000435": one LLM call is often
 * a fraction of a cent). Zero is "$0.00".
 */
export function formatUsd(amount: number): string {
  if (!Number.isFinite(amount)) return '—';
  const abs = Math.abs(amount);
  if (abs === 0) return usd2.format(0);
  if (abs >= 1) return usd2.format(amount);
  if (abs >= 0.01) return usd4.format(amount);
  return usdSmall.format(amount);
}

/** 1234567 → "1,234,567". */
export function formatTokens(count: number): string {
  return integer.format(count);
}

export interface CostLike {
  costUsd: number | null;
  unpricedCalls: number;
}

/** "$0.0012", "unknown price", or "$0.0012 + unknown" when some calls had no price. */
export function formatCost(totals: CostLike): string {
  if (totals.costUsd === null) return 'unknown price';
  return totals.unpricedCalls > 0 ? `${formatUsd(totals.costUsd)} + unknown` : formatUsd(totals.costUsd);
}
