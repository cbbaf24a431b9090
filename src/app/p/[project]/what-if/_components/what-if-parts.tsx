import { beforeAfterText, costText, durationText, valueLine } from './what-if-format';
import type { RowOutcome, WhatIfTotals } from './what-if-types';
import styles from './what-if.module.css';

const REPORT_LABELS: Record<string, string> = { RUNNING: 'Running', FINISHED: 'Finished', CANCELLED: 'Cancelled' };

export function ReportStatus({ status }: { status: string }) {
  return (
    <span className={`${styles.outcome} ${styles[`report-${status}`] ?? ''}`} data-testid="report-status" data-status={status}>
      {REPORT_LABELS[status] ?? status}
    </span>
  );
}

const OUTCOME_LABELS: Record<RowOutcome, string> = { changed: 'Changed', unchanged: 'Unchanged', failed: 'Failed', pending: 'Pending' };

export function OutcomeBadge({ outcome }: { outcome: RowOutcome }) {
  return (
    <span className={`${styles.outcome} ${styles[`outcome-${outcome}`]}`} data-testid="row-outcome" data-outcome={outcome}>
      {OUTCOME_LABELS[outcome]}
    </span>
  );
}

/** The values a report tried, one chip each; `expandable` adds the full values below (a prompt's change is often at its end). */
export function ValueChips({ values, testId, expandable }: { values: Record<string, unknown>; testId?: string; expandable?: boolean }) {
  const entries = Object.entries(values);
  if (!entries.length) return <span className="muted small">no values changed</span>;
  return (
    <div data-testid={testId}>
      <div className={styles.valueChips}>
        {entries.map(([name, value]) => (
          <span key={name} className={styles.valueChip} title={fullText(value)}>
            <span className={styles.valueKey}>{name}</span>
            <span className={styles.valueText}>{valueLine(value)}</span>
          </span>
        ))}
      </div>
      {expandable ? (
        <details className={styles.fullValues}>
          <summary>Full values</summary>
          {entries.map(([name, value]) => (
            <div key={name} className={styles.variable} data-testid={`full-value-${name}`}>
              <span className={styles.variableName}>{name}</span>
              <pre className={styles.diff}>{fullText(value)}</pre>
            </div>
          ))}
        </details>
      ) : null}
    </div>
  );
}

const fullText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? 'null'));

function Tile({ label, testId, children, small }: { label: string; testId: string; children: React.ReactNode; small?: boolean }) {
  return (
    <div className={styles.total} data-testid={testId}>
      <span className={styles.label}>{label}</span>
      <span className={small ? styles.totalSmall : styles.totalValue}>{children}</span>
    </div>
  );
}

/** Changed / unchanged / failed / pending rows, cost and mean latency before → after, checks passed before → after. */
export function WhatIfTotalsView({ totals, hasChecks }: { totals: WhatIfTotals; hasChecks: boolean }) {
  const checks = (c: { passed: number; failed: number }) => `${c.passed} passed, ${c.failed} failed`;
  return (
    <div className={styles.totals} data-testid="what-if-totals">
      <Tile label="Changed" testId="total-changed">
        {totals.changed}
      </Tile>
      <Tile label="Unchanged" testId="total-unchanged">
        {totals.unchanged}
      </Tile>
      <Tile label="Failed" testId="total-failed">
        {totals.failed}
      </Tile>
      <Tile label="Pending" testId="total-pending">
        {totals.pending}
      </Tile>
      <Tile label="Cost (finished rows)" testId="total-cost" small>
        {beforeAfterText(totals.costUsd.before, totals.costUsd.after, costText)}
      </Tile>
      <Tile label="Mean latency" testId="total-latency" small>
        {beforeAfterText(totals.meanDurationMs.before, totals.meanDurationMs.after, durationText)}
      </Tile>
      {hasChecks ? (
        <Tile label="Checks before → after" testId="total-checks" small>
          {checks(totals.checks.before)} → {checks(totals.checks.after)}
        </Tile>
      ) : null}
    </div>
  );
}
