'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { PullRequestFileDiff } from '../../runs/[id]/playground/[task]/_components/pull-request/pull-request-diff-view';
import type { PullRequestMode } from '../../runs/[id]/playground/[task]/_components/pull-request/pull-request-types';
import prStyles from '../../runs/[id]/playground/[task]/_components/pull-request/pull-request.module.css';
import { useTRPC } from '@/app/_trpc/providers';
import styles from './what-if.module.css';
import { projectPath } from '@/server/shared/urls';

/**
 * "Open pull request…" on a what-if report (editors and owners, once a row succeeded): makes the
 * report's values the code's defaults, with the report's totals and rows in the pull request's
 * description. The change itself is previewed as on a playground variant.
 */
export function ReportPullRequest({ project, reportId }: { project: string; reportId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" data-testid="report-open-pull-request" onClick={() => setOpen(true)}>
        Open pull request…
      </button>
      {open ? <ReportPullRequestDialog project={project} reportId={reportId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function ReportPullRequestDialog({ project, reportId, onClose }: { project: string; reportId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const [mode, setMode] = useState<PullRequestMode>('new');
  // Reads GitHub: no retries, no refresh while someone reads it, nothing kept once closed.
  const preview = useQuery(
    trpc.pullRequests.preview.queryOptions(
      { project, reportId, mode },
      { retry: false, refetchOnWindowFocus: false, staleTime: 0, gcTime: 0 },
    ),
  );
  const openPr = useMutation(trpc.pullRequests.open.mutationOptions());
  const data = preview.data;
  const busy = openPr.isPending;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !busy) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  return (
    <div className={styles.backdrop}>
      <div role="dialog" aria-modal="true" aria-labelledby="report-pr-title" className={styles.dialog} data-testid="report-pr-dialog">
        <h2 id="report-pr-title">Open pull request from this report</h2>
        <p className="muted small">
          Makes the report’s values the new defaults in the code; the pull request’s description carries the report’s totals and rows. Check
          the change, then confirm.
        </p>
        {data && !data.connected ? (
          <div className={prStyles.notice} data-testid="report-pr-not-connected">
            No GitHub repository is connected to this project: connect one in{' '}
            <Link href={projectPath(project, 'settings')}>Settings → Repository</Link>. Below is the change, from the source beside the
            server.
          </div>
        ) : null}
        {data?.connected && data.existingPullRequest && !openPr.isSuccess ? (
          <div className={styles.row} role="radiogroup" aria-label="New pull request or push">
            <label className={styles.row}>
              <input type="radio" name="report-pr-mode" checked={mode === 'new'} disabled={busy} onChange={() => setMode('new')} />
              Open a new pull request
            </label>
            <label className={styles.row}>
              <input type="radio" name="report-pr-mode" checked={mode === 'push'} disabled={busy} onChange={() => setMode('push')} />
              Push a commit to #{data.existingPullRequest.number}, the task’s open pull request
            </label>
          </div>
        ) : null}
        {preview.isFetching ? <p className="muted">Reading the code and rewriting it…</p> : null}
        {preview.isError ? (
          <div className="error-box" role="alert" data-testid="report-pr-error">
            Cannot open a pull request: {preview.error.message}
          </div>
        ) : null}
        {data && !preview.isError ? (
          <>
            {data.connected && data.repository ? (
              <dl className={prStyles.target}>
                <dt>Repository</dt>
                <dd>
                  {data.repository.owner}/{data.repository.repo}
                </dd>
                <dt>Branch</dt>
                <dd data-testid="report-pr-branch">{data.branch}</dd>
                <dt>Title</dt>
                <dd>{data.title}</dd>
              </dl>
            ) : null}
            {data.files.map((f) => (
              <PullRequestFileDiff key={f.path} path={f.path} diff={f.diff} variables={f.variables} />
            ))}
            {data.connected ? (
              <details className={prStyles.body} open>
                <summary>Pull request description</summary>
                <pre data-testid="report-pr-body">{data.body}</pre>
              </details>
            ) : null}
          </>
        ) : null}
        {openPr.isError ? (
          <div className="error-box" role="alert" data-testid="report-pr-open-error">
            Nothing was pushed: {openPr.error.message}
          </div>
        ) : null}
        {openPr.data ? (
          <div className={prStyles.success} role="status" data-testid="report-pr-result">
            {openPr.data.mode === 'push' ? 'Pushed a commit to pull request ' : 'Opened pull request '}
            <a href={openPr.data.pullRequest.url} target="_blank" rel="noopener noreferrer" data-testid="report-pr-link">
              #{openPr.data.pullRequest.number}
            </a>{' '}
            in {openPr.data.pullRequest.repository}.
          </div>
        ) : null}
        <div className={styles.actions}>
          <button type="button" className="button" onClick={onClose} disabled={busy} data-testid="report-pr-close">
            {openPr.isSuccess ? 'Close' : 'Cancel'}
          </button>
          {data?.connected && !openPr.isSuccess ? (
            <button
              type="button"
              className={styles.primary}
              data-testid="report-pr-confirm"
              disabled={busy || preview.isFetching || preview.isError}
              onClick={() => openPr.mutate({ project, reportId, mode: data.mode })}
            >
              {busy ? 'Opening…' : data.mode === 'push' ? 'Push commit' : 'Open pull request'}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
