'use client';

import Link from 'next/link';
import { memo, useMemo, useState } from 'react';
import { toDisplayText } from '@/app/_ui/format';
import { outputDiff } from '../../runs/[id]/playground/[task]/_components/playground-diff';
import { OutcomeBadge } from './what-if-parts';
import { beforeAfterText, costText, durationText, shortId } from './what-if-format';
import {
  DEFAULT_ROW_VIEW,
  OUTCOMES,
  outcomeCounts,
  pairChecks,
  visibleRows,
  type OutcomeFilter,
  type RowSortKey,
  type RowView,
} from './what-if-rows';
import type { WhatIfRow } from './what-if-types';
import styles from './what-if.module.css';
import { runPath } from '@/server/shared/urls';

/** Outputs longer than this (characters or lines) start collapsed. */
const COLLAPSE_CHARS = 320;
const COLLAPSE_LINES = 5;

const FILTER_LABELS: Record<OutcomeFilter, string> = {
  all: 'All',
  changed: 'Changed',
  unchanged: 'Unchanged',
  failed: 'Failed',
  pending: 'Pending',
};

/** The report's rows, filterable by outcome and failing checks, sortable by outcome, duration change and cost change. */
export function WhatIfRowsTable({ project, rows }: { project: string; rows: WhatIfRow[] }) {
  const [view, setView] = useState<RowView>(DEFAULT_ROW_VIEW);
  const shown = useMemo(() => visibleRows(rows, view), [rows, view]);
  const counts = outcomeCounts(rows);
  const sortBy = (key: Exclude<RowSortKey, 'source'>) =>
    setView((v) =>
      v.sort !== key
        ? { ...v, sort: key, descending: false }
        : v.descending
          ? { ...v, sort: 'source', descending: false }
          : { ...v, descending: true },
    );
  const ariaSort = (key: RowSortKey) => (view.sort === key ? (view.descending ? 'descending' : 'ascending') : undefined);
  const arrow = (key: RowSortKey) => (view.sort === key ? (view.descending ? ' ↓' : ' ↑') : '');
  const header = (key: Exclude<RowSortKey, 'source'>, label: string, title: string) => (
    <button
      type="button"
      className={styles.sortButton}
      aria-pressed={view.sort === key}
      data-testid={`sort-${key}`}
      title={title}
      onClick={() => sortBy(key)}
    >
      {label}
      {arrow(key)}
    </button>
  );

  return (
    <div data-testid="what-if-rows-section">
      <div className={styles.controls}>
        <div className="filters" role="group" aria-label="Filter rows by outcome">
          {(['all', ...OUTCOMES] as OutcomeFilter[]).map((o) => (
            <button
              key={o}
              type="button"
              className="filter"
              aria-pressed={view.outcome === o}
              data-testid={`rows-filter-${o}`}
              onClick={() => setView((v) => ({ ...v, outcome: o }))}
            >
              {FILTER_LABELS[o]} <span className="count">{counts[o]}</span>
            </button>
          ))}
        </div>
        <label className={styles.row}>
          <input
            type="checkbox"
            checked={view.checksFailing}
            data-testid="rows-checks-failing"
            onChange={(e) => setView((v) => ({ ...v, checksFailing: e.target.checked }))}
          />
          Only rows failing a check ({counts.checksFailing})
        </label>
        {view.sort !== 'source' ? (
          <button type="button" className="link-button" onClick={() => setView((v) => ({ ...v, sort: 'source', descending: false }))}>
            Back to the report’s order
          </button>
        ) : null}
      </div>
      <table className={styles.table} data-testid="what-if-rows">
        <thead>
          <tr>
            <th className={styles.colRuns}>Source → new run</th>
            <th className={styles.colOutcome} aria-sort={ariaSort('outcome')}>
              {header('outcome', 'Outcome', 'Failed first, then changed, unchanged, pending')}
            </th>
            <th>Old output → new output (word diff)</th>
            <th className={styles.colNum} aria-sort={ariaSort('duration')}>
              {header('duration', 'Duration', 'Sort by the change in duration')}
            </th>
            <th className={styles.colNum} aria-sort={ariaSort('cost')}>
              {header('cost', 'Cost', 'Sort by the change in cost')}
            </th>
            <th className={styles.colChecks}>Checks</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <ReportRow key={row.id} project={project} row={row} />
          ))}
          {shown.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                {rows.length === 0 ? 'No rows: every source run was skipped.' : 'No row matches these filters.'}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

// Polling hands back the same objects for rows that did not change (React Query keeps equal data), so memo skips them.
const ReportRow = memo(function ReportRow({ project, row }: { project: string; row: WhatIfRow }) {
  const { before, after } = row;
  return (
    <tr data-testid="what-if-row" data-outcome={row.outcome} data-source={row.sourceRunId} data-run={row.runId}>
      <td>
        <div className={styles.runLinks}>
          <Link href={runPath(project, row.sourceRunId)} title="The source run" data-testid="row-source-link">
            {shortId(row.sourceRunId)}
          </Link>
          <span className="muted">↓</span>
          <Link href={runPath(project, row.runId)} title="The new run" data-testid="row-run-link">
            {shortId(row.runId)}
          </Link>
        </div>
      </td>
      <td>
        <OutcomeBadge outcome={row.outcome} />
      </td>
      <td>
        <OutputCell row={row} />
      </td>
      <td className="num" data-testid="row-duration">
        {beforeAfterText(before?.durationMs, after?.durationMs, durationText)}
      </td>
      <td className="num" data-testid="row-cost">
        {beforeAfterText(before?.costUsd, after?.costUsd, costText)}
        {after?.tokens || before?.tokens ? (
          <div className="muted small">
            {before?.tokens ?? 0} → {after?.tokens ?? 0} tokens
          </div>
        ) : null}
      </td>
      <td>
        <Checks row={row} />
      </td>
    </tr>
  );
});

function OutputCell({ row }: { row: WhatIfRow }) {
  const [expanded, setExpanded] = useState(false);
  const oldOutput = row.before?.output;
  const newOutput = row.after?.output;
  const hasNew = row.after?.status === 'SUCCEEDED';
  const diff = useMemo(() => (hasNew ? outputDiff(oldOutput, newOutput) : null), [hasNew, oldOutput, newOutput]);
  const oldText = useMemo(() => toDisplayText(oldOutput ?? null), [oldOutput]);
  const newText = useMemo(() => (hasNew ? toDisplayText(newOutput ?? null) : ''), [hasNew, newOutput]);
  const long = [oldText, newText].some((t) => t.length > COLLAPSE_CHARS || t.split('\n').length > COLLAPSE_LINES);
  const collapsed = long && !expanded ? styles.collapsed : '';

  return (
    <div data-testid="row-output">
      {diff?.kind === 'diff' ? (
        <>
          <div className="muted small" data-testid="row-diff-summary">
            {diff.added === 0 && diff.removed === 0 ? 'identical' : `+${diff.added} / −${diff.removed} words`}
          </div>
          <pre
            className={`${styles.diff} ${collapsed}`}
            data-testid="row-diff"
            aria-label="Word diff of the new output against the old one"
          >
            {diff.parts.map((part, i) =>
              part.kind === 'added' ? (
                <ins key={i}>{part.text}</ins>
              ) : part.kind === 'removed' ? (
                <del key={i}>{part.text}</del>
              ) : (
                <span key={i}>{part.text}</span>
              ),
            )}
          </pre>
        </>
      ) : diff?.kind === 'too-large' ? (
        <p className="muted small">The outputs are too large to diff here: compare them side by side.</p>
      ) : (
        <pre className={`${styles.diff} ${collapsed}`} data-testid="row-old-output">
          {row.before ? oldText : 'The source run has no result for this task.'}
        </pre>
      )}
      {row.outcome === 'pending' ? <p className="muted small">Running…</p> : null}
      {row.after?.error ? (
        <pre className={styles.error} data-testid="row-error">
          {row.after.error}
        </pre>
      ) : null}
      {row.outcome === 'failed' && !row.after?.error ? (
        <p className={styles.error}>The new run ended {row.runStatus.toLowerCase()}.</p>
      ) : null}
      {long || diff?.kind === 'too-large' || hasNew ? (
        <button
          type="button"
          className="link-button"
          data-testid="row-expand"
          aria-expanded={expanded}
          onClick={() => setExpanded((v) => !v)}
        >
          {expanded ? 'Show less' : 'Show all, old and new side by side'}
        </button>
      ) : null}
      {expanded ? (
        <div className={styles.sideBySide} data-testid="row-side-by-side">
          <div>
            <div className={styles.label}>Old output</div>
            <pre>{oldText}</pre>
          </div>
          <div>
            <div className={styles.label}>New output</div>
            <pre>{hasNew ? newText : '—'}</pre>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function Checks({ row }: { row: WhatIfRow }) {
  const pairs = pairChecks(row.before?.checks, row.after?.checks);
  if (!pairs.length) return <span className="muted">—</span>;
  const mark = (passed: boolean | null) =>
    passed === null ? (
      <span className={styles.none}>–</span>
    ) : passed ? (
      <span className={styles.pass}>✓</span>
    ) : (
      <span className={styles.fail}>✗</span>
    );
  return (
    <ul className={styles.checks}>
      {pairs.map((c) => (
        <li
          key={c.name}
          data-testid="row-check"
          data-passed={c.after === null ? undefined : String(c.after)}
          title={`before: ${c.before === null ? 'not run' : c.before ? 'passed' : 'failed'}`}
        >
          {mark(c.before)}→{mark(c.after)} <span>{c.name}</span>
        </li>
      ))}
    </ul>
  );
}
