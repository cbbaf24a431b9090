'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '@/app/_trpc/providers';
import { RelativeTime, useNow } from '@/app/_ui/time';
import { WhatIfDialog } from './what-if-dialog';
import { ReportPullRequest } from './what-if-pull-request';
import { filterPhrases, MODE_TEXT, shortId } from './what-if-format';
import { rulesToDrafts, sourceFilterFromStored } from './what-if-request';
import { WhatIfRowsTable } from './what-if-table';
import { ReportStatus, ValueChips, WhatIfTotalsView } from './what-if-parts';
import type { WhatIfReport } from './what-if-types';
import styles from './what-if.module.css';
import { runPath, whatIfPath, workflowPath } from '@/server/shared/urls';

/** A what-if report: what was tried on which runs, totals, and one row per source run; live while it runs. */
export function WhatIfReportView({ project, id, canRun }: { project: string; id: string; canRun: boolean }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.whatIf.get.queryOptions(
      { project, id },
      { refetchInterval: (q) => (q.state.status !== 'error' && q.state.data?.status === 'RUNNING' ? 1_000 : false) },
    ),
  );
  if (!query.data) {
    return (
      <section>
        <nav className="breadcrumb">
          <Link href={whatIfPath(project)}>What-if</Link> / <span className="mono">{shortId(id)}</span>
        </nav>
        {query.isError ? (
          <div className="error-box" role="alert">
            Could not load the report: {query.error.message}
          </div>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    );
  }
  return <Report project={project} report={query.data} canRun={canRun} />;
}

function Report({ project, report, canRun }: { project: string; report: WhatIfReport; canRun: boolean }) {
  const now = useNow();
  const [rerun, setRerun] = useState(false);
  const filter = report.filter ? sourceFilterFromStored(report.filter) : null;
  const phrases = filter ? filterPhrases(filter) : [];
  const sourceIds = report.rows.map((r) => r.sourceRunId);
  const referenceRun = sourceIds[0] ?? report.warnings.find((w) => w.runId)?.runId ?? null;
  const confirmed = report.warnings.filter((w) => w.kind !== 'skipped');
  const skipped = report.warnings.filter((w) => w.kind === 'skipped');

  return (
    <section data-testid="what-if-report" data-status={report.status}>
      <header className={styles.header}>
        <nav className="breadcrumb" aria-label="Breadcrumb">
          <Link href={whatIfPath(project)}>What-if</Link> / <span className="mono">{shortId(report.id)}</span>
        </nav>
        <div className={styles.titleRow}>
          <h1>
            What-if: <span className="mono">{report.taskName}</span> of{' '}
            <Link href={workflowPath(project, report.workflowName)} data-testid="report-workflow">
              {report.workflowName}
            </Link>
          </h1>
          <ReportStatus status={report.status} />
          {report.status === 'RUNNING' ? <span className="live-indicator">Live</span> : null}
          <span className={styles.push}>
            {canRun && report.status === 'RUNNING' ? <CancelReport project={project} id={report.id} /> : null}
            {canRun && report.rows.some((r) => r.after?.status === 'SUCCEEDED') ? (
              <ReportPullRequest project={project} reportId={report.id} />
            ) : null}
            {canRun && referenceRun ? (
              <button type="button" className="button" data-testid="what-if-rerun" onClick={() => setRerun(true)}>
                Re-run with other values…
              </button>
            ) : null}
          </span>
        </div>
        <div className={styles.meta} data-testid="report-meta">
          <span>Re-ran {MODE_TEXT[report.mode]}</span>
          <span data-testid="report-sources">
            {filter
              ? phrases.length
                ? `runs matching ${phrases.join(' · ')}`
                : 'every run of the workflow'
              : `${sourceIds.length + skipped.length} runs picked by hand`}
          </span>
          <span>
            started <RelativeTime date={report.createdAt} now={now} />
            {report.createdBy ? ` by ${report.createdBy}` : ''}
          </span>
          {report.rules.length ? (
            <span>
              {report.rules.length} check{report.rules.length === 1 ? '' : 's'}
            </span>
          ) : null}
        </div>
        <ValueChips values={report.overrides} testId="report-values" expandable />
      </header>

      {confirmed.length ? (
        <div className={styles.warnings} role="status" data-testid="report-warnings">
          <strong>Started despite these warnings</strong> (the code changed since the source run):
          <ul>
            {confirmed.map((w, i) => (
              <li key={i} data-kind={w.kind}>
                {w.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {skipped.length ? (
        <div className={styles.warnings} role="status" data-testid="report-skipped" style={{ marginTop: 8 }}>
          <strong>
            {skipped.length} source run{skipped.length === 1 ? ' was' : 's were'} skipped:
          </strong>
          <ul>
            {skipped.map((w, i) => (
              <li key={i}>
                {w.runId ? (
                  <Link href={runPath(project, w.runId)} className="mono">
                    {shortId(w.runId)}
                  </Link>
                ) : null}{' '}
                {w.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <h2 className="section-title">Totals</h2>
      <WhatIfTotalsView
        totals={report.totals}
        hasChecks={report.rows.some((r) => (r.before?.checks.length ?? 0) + (r.after?.checks.length ?? 0) > 0)}
      />

      <h2 className="section-title">Runs</h2>
      <WhatIfRowsTable project={project} rows={report.rows} />

      {rerun && referenceRun ? (
        <WhatIfDialog
          project={project}
          runId={referenceRun}
          task={report.taskName}
          workflow={report.workflowName}
          title="Re-run with other values"
          values={report.overrides}
          editableValues
          initial={{
            mode: report.mode,
            by: filter ? 'filter' : 'hand',
            filter: filter ?? {},
            runIds: filter ? [] : sourceIds,
            rules: rulesToDrafts(report.rules),
          }}
          onClose={() => setRerun(false)}
        />
      ) : null}
    </section>
  );
}

function CancelReport({ project, id }: { project: string; id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cancel = useMutation(
    trpc.whatIf.cancel.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.whatIf.get.queryKey({ project, id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.whatIf.list.queryKey() }),
        ]),
    }),
  );
  return (
    <>
      <button
        type="button"
        className="button danger"
        data-testid="what-if-cancel-report"
        disabled={cancel.isPending}
        onClick={() => {
          if (window.confirm('Cancel this what-if? Its unfinished runs are cancelled; finished rows stay.')) cancel.mutate({ project, id });
        }}
      >
        {cancel.isPending ? 'Cancelling…' : 'Cancel'}
      </button>
      {cancel.isError ? (
        <span className={styles.fieldError} role="alert">
          {cancel.error.message}
        </span>
      ) : null}
    </>
  );
}
