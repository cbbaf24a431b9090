// Pure: the "What-if report" section of a pull request opened from a report — its totals, its rows
// (the most telling first) and a link to the report, as markdown tables.
import type { CheckResult } from '@/server/what-if/checks';
import type { RowOutcome, totals } from '@/server/what-if/report';
import { inlineCode, tableRow } from './markdown';

/** Rows listed in the body; the report page has all of them. */
export const MAX_REPORT_ROWS = 20;
/** Failed checks named per row; the others are counted. */
const MAX_FAILED_NAMES = 3;
/** Characters of a check's name shown in a cell. */
const MAX_NAME_CHARS = 60;

type Side = { checks: readonly CheckResult[] } | null;

export interface WhatIfBodyReport {
  id: string;
  taskName: string;
  rows: ReadonlyArray<{ sourceRunId: string; runId: string; outcome: RowOutcome; before: Side; after: Side }>;
  totals: ReturnType<typeof totals>;
}

export interface DashboardLinks {
  run(runId: string): string | null;
  report(reportId: string): string | null;
}

/** Failed rows first, then changed ones: what a reviewer wants to see before merging. */
const OUTCOME_ORDER: Record<RowOutcome, number> = { failed: 0, changed: 1, unchanged: 2, pending: 3 };

export function whatIfSection(report: WhatIfBodyReport, links: DashboardLinks): string {
  const { totals: t } = report;
  const reportUrl = links.report(report.id);
  const reportRef = reportUrl
    ? `[what-if report](${reportUrl})`
    : `what-if report ${inlineCode(report.id)}; set WHETSTONE_PUBLIC_URL on the server for links`;
  const outcomes = [
    `${t.changed} changed`,
    `${t.unchanged} unchanged`,
    `${t.failed} failed`,
    ...(t.pending ? [`${t.pending} not finished`] : []),
  ].join(', ');
  const summary = [
    tableRow(['', 'before', 'after']),
    '|---|---|---|',
    tableRow(['runs', String(t.rows), outcomes]),
    tableRow(['cost', usd(t.costUsd.before), usd(t.costUsd.after)]),
    tableRow(['mean latency', milliseconds(t.meanDurationMs.before), milliseconds(t.meanDurationMs.after)]),
    tableRow(['checks passed / failed', checkTotals(t.checks.before), checkTotals(t.checks.after)]),
  ].join('\n');

  const shown = [...report.rows].sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]).slice(0, MAX_REPORT_ROWS);
  const rows = [
    tableRow(['source run', 'new run', 'outcome', 'checks before', 'checks after']),
    '|---|---|---|---|---|',
    ...shown.map((row) =>
      tableRow([runRef(row.sourceRunId, links), runRef(row.runId, links), row.outcome, rowChecks(row.before), rowChecks(row.after)]),
    ),
  ].join('\n');

  const parts = [
    '### What-if report',
    `These values were tried on ${t.rows} ${t.rows === 1 ? 'run' : 'runs'}, re-running task ${inlineCode(report.taskName)} (${reportRef}):`,
    summary,
  ];
  if (report.rows.length) parts.push(rows);
  if (report.rows.length > shown.length)
    parts.push(`${shown.length} of ${report.rows.length} rows shown (failed and changed first): the report has all of them.`);
  return parts.join('\n\n');
}

function runRef(runId: string, links: DashboardLinks): string {
  const label = shortId(runId);
  const url = links.run(runId);
  return url ? `[${label}](${url})` : inlineCode(label);
}

function rowChecks(side: Side): string {
  if (!side?.checks.length) return '—';
  const failed = side.checks.filter((c) => !c.passed);
  const counted = `${side.checks.length - failed.length} / ${side.checks.length} passed`;
  if (!failed.length) return counted;
  const names = failed
    .slice(0, MAX_FAILED_NAMES)
    .map((c) => inlineCode(c.name.length > MAX_NAME_CHARS ? `${c.name.slice(0, MAX_NAME_CHARS - 1)}…` : c.name));
  const more = failed.length > MAX_FAILED_NAMES ? ` and ${failed.length - MAX_FAILED_NAMES} more` : '';
  return `${counted}; failed: ${names.join(', ')}${more}`;
}

function checkTotals(c: { passed: number; failed: number }): string {
  return c.passed + c.failed ? `${c.passed} / ${c.failed}` : '—';
}

function usd(value: number | null): string {
  if (value === null) return '—';
  return `$${value.toFixed(value !== 0 && value < 1 ? 4 : 2)}`;
}

function milliseconds(value: number | null): string {
  return value === null ? '—' : `${value} ms`;
}

export const shortId = (id: string) => id.replace(/-/g, '').slice(-8);
