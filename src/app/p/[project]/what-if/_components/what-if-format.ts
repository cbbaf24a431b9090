// Pure: text of the what-if pages (filters described, before → after numbers, values in one line).
import { formatAbsolute, formatDuration } from '@/app/_ui/format';
import type { SourceFilter } from './what-if-request';
import { formatUsd } from '../../usage/_components/usage-format';

export const MODE_TEXT = { STEP: 'this step', FROM_HERE: 'this step and everything downstream' } as const;

/** A filter as short phrases: "status Failed", "last 24h", "customerId=c42", "search “refund”". Empty: every run. */
export function filterPhrases(filter: SourceFilter): string[] {
  const out: string[] = [];
  if (filter.status) out.push(`status ${filter.status.toLowerCase()}`);
  if (filter.since) out.push(`last ${filter.since}`);
  if (filter.from) out.push(`from ${formatAbsolute(new Date(filter.from))}`);
  if (filter.to) out.push(`before ${formatAbsolute(new Date(filter.to))}`);
  for (const [key, value] of Object.entries(filter.meta ?? {})) out.push(`${key}=${value}`);
  if (filter.q) out.push(`search “${filter.q}”`);
  if (filter.trigger) out.push(`trigger ${filter.trigger.toLowerCase()}`);
  return out;
}

/** A relative change: "+12%", "−40%", "±0%"; null when there is nothing to compare with. */
export function percentChange(before: number | null, after: number | null): string | null {
  if (before === null || after === null || before === 0) return null;
  const pct = Math.round(((after - before) / before) * 100);
  return pct === 0 ? '±0%' : `${pct > 0 ? '+' : '−'}${Math.abs(pct)}%`;
}

export const costText = (usd: number | null | undefined) => (usd === null || usd === undefined ? '—' : formatUsd(usd));
export const durationText = (ms: number | null | undefined) => formatDuration(ms ?? null);

/** "1.20 s → 0.90 s (−25%)". */
export function beforeAfterText(
  before: number | null | undefined,
  after: number | null | undefined,
  format: (n: number | null | undefined) => string,
): string {
  const pct = percentChange(before ?? null, after ?? null);
  return `${format(before)} → ${format(after)}${pct ? ` (${pct})` : ''}`;
}

const VALUE_CHARS = 60;

/** A variable's value on one line, cut: strings as text, anything else as JSON. */
export function valueLine(value: unknown, max = VALUE_CHARS): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** A uuid v7 starts with its time: runs started together share the first 8 characters, so the last 4 are kept too. */
export const shortId = (id: string) => `${id.slice(0, 8)}…${id.slice(-4)}`;
