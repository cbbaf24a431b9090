'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/app/_trpc/providers';
import { RelativeTime, useNow } from '@/app/_ui/time';
import { MODE_TEXT, shortId, valueLine } from './what-if-format';
import { ReportStatus } from './what-if-parts';
import styles from './what-if.module.css';
import { whatIfPath } from '@/server/shared/urls';

const VALUES_SHOWN = 4;

/** The project's what-if reports, newest first, each linking to its page. */
export function WhatIfList({ project }: { project: string }) {
  const trpc = useTRPC();
  const now = useNow(5_000);
  const query = useQuery(
    trpc.whatIf.list.queryOptions(
      { project },
      { refetchInterval: (q) => (q.state.data?.some((r) => r.status === 'RUNNING') ? 5_000 : 15_000) },
    ),
  );
  const reports = query.data ?? [];
  return (
    <section data-testid="what-if-list">
      <div className="page-title">
        <h1>What-if reports</h1>
      </div>
      {query.isError ? (
        <div className="error-box" role="alert">
          Could not load the reports: {query.error.message}
        </div>
      ) : null}
      {query.data && reports.length === 0 ? (
        <div className="empty-state" data-testid="what-if-empty">
          <h2>No what-if reports yet</h2>
          <p>
            Open a run’s task in the playground, edit its values, and press <strong>Try on more runs…</strong> under a variant: the same
            values are re-run over many earlier runs, and the report compares every old output with the new one.
          </p>
        </div>
      ) : (
        <table className="runs-table" data-testid="what-if-reports">
          <thead>
            <tr>
              <th>Report</th>
              <th>Workflow / task</th>
              <th>Values</th>
              <th className="num">Rows</th>
              <th>Status</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => {
              const values = Object.entries(r.overrides);
              return (
                <tr key={r.id} data-testid="what-if-report-row" data-report={r.id}>
                  <td>
                    <Link href={whatIfPath(project, r.id)} className={`row-link mono ${styles.nowrap}`}>
                      {shortId(r.id)}
                    </Link>
                  </td>
                  <td>
                    {r.workflowName} / <span className="mono">{r.taskName}</span>
                    <div className="muted small">{MODE_TEXT[r.mode]}</div>
                  </td>
                  <td>
                    <div className={styles.valueChips}>
                      {values.slice(0, VALUES_SHOWN).map(([name, value]) => (
                        <span key={name} className={styles.valueChip}>
                          <span className={styles.valueKey}>{name}</span>
                          <span className={styles.valueText} style={{ maxWidth: 260 }}>
                            {valueLine(value, 40)}
                          </span>
                        </span>
                      ))}
                      {values.length > VALUES_SHOWN ? <span className="muted small">+{values.length - VALUES_SHOWN} more</span> : null}
                    </div>
                  </td>
                  <td className="num">{r.rows}</td>
                  <td>
                    <ReportStatus status={r.status} />
                  </td>
                  <td>
                    <RelativeTime date={r.createdAt} now={now} />
                    {r.createdBy ? <div className="muted small">{r.createdBy}</div> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
