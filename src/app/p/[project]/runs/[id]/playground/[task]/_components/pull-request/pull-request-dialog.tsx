'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { PullRequestFileDiff } from './pull-request-diff-view';
import type { PullRequestMode, PullRequestOpened, PullRequestPreview } from './pull-request-types';
import { shortSha } from './pull-request-values';
import styles from './pull-request.module.css';
import { useTRPC } from '@/app/_trpc/providers';
import { projectPath } from '@/server/shared/urls';

interface Props {
  project: string;
  /** The variant's run id (the server accepts it as the playground run). */
  variantRunId: string;
  /** 1-based, as the playground numbers its variants. */
  variant: number;
  onOpened: (opened: PullRequestOpened) => void;
  onClose: () => void;
}

/**
 * The confirm step of "Open pull request": what the server would commit (variables before → after,
 * each file's diff), where (repository, base, branch), and whether to push to the task's open pull
 * request instead. Without a GitHub connection it offers the same change as a patch to download.
 */
export function PullRequestDialog({ project, variantRunId, variant, onOpened, onClose }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<PullRequestMode>('new');
  const dialog = useRef<HTMLDivElement>(null);
  const repository = useQuery(trpc.repository.get.queryOptions({ project }));
  // The preview reads GitHub: no retries, no refresh while someone reads it, nothing kept after the dialog closes.
  const preview = useQuery(
    trpc.pullRequests.preview.queryOptions(
      { project, playgroundRunId: variantRunId, mode },
      { retry: false, refetchOnWindowFocus: false, staleTime: 0, gcTime: 0 },
    ),
  );
  const data = preview.data;
  // The choice stays on screen while the other mode's preview loads (or fails).
  const [remembered, setRemembered] = useState<PullRequestPreview['existingPullRequest']>(null);
  const existing = data?.existingPullRequest ?? remembered;
  const choose = (next: PullRequestMode) => {
    if (data?.existingPullRequest) setRemembered(data.existingPullRequest);
    setMode(next);
  };
  const open = useMutation(
    trpc.pullRequests.open.mutationOptions({
      onSuccess: (opened) => {
        onOpened(opened);
        void queryClient.invalidateQueries({ queryKey: trpc.pullRequests.forRun.queryKey() });
      },
    }),
  );
  const patch = useMutation({
    mutationFn: () =>
      queryClient.fetchQuery({ ...trpc.pullRequests.patch.queryOptions({ project, playgroundRunId: variantRunId }), staleTime: 0 }),
    onSuccess: ({ filename, patch: text }) => downloadText(filename, text),
  });

  const busy = open.isPending;
  useEffect(() => dialog.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !busy) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  const connected = data ? data.connected : repository.isSuccess ? repository.data !== null : null;
  const canConfirm = Boolean(data?.connected) && !busy && !open.isSuccess;

  return (
    <div className={styles.backdrop}>
      <div
        ref={dialog}
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-labelledby="pr-title"
        className={styles.dialog}
        data-testid="pr-dialog"
      >
        <h2 id="pr-title">Open pull request from variant {variant}</h2>
        <p className="muted small">
          Makes this variant&apos;s values the new defaults: each <code>ctx.playground(name, default)</code> call is rewritten where the
          worker recorded it. Check the change, then confirm.
        </p>

        {connected === false ? <NotConnected project={project} pending={patch.isPending} onDownload={() => patch.mutate()} /> : null}
        {patch.isError ? <ErrorBox testId="pr-patch-error" prefix="Could not make the patch" message={patch.error.message} /> : null}

        {existing && connected && !open.isSuccess ? (
          <fieldset className={styles.modes} data-testid="pr-modes">
            <legend>Task {existing.taskName} already has an open pull request</legend>
            <label>
              <input
                type="radio"
                name="pr-mode"
                data-testid="pr-mode-new"
                checked={mode === 'new'}
                disabled={busy}
                onChange={() => choose('new')}
              />
              Open a new PR
            </label>
            <label>
              <input
                type="radio"
                name="pr-mode"
                data-testid="pr-mode-push"
                checked={mode === 'push'}
                disabled={busy}
                onChange={() => choose('push')}
              />
              Push a new commit to #{existing.number}
              <a href={existing.url} target="_blank" rel="noopener noreferrer" className="small">
                view on GitHub
              </a>
            </label>
          </fieldset>
        ) : null}

        {preview.isFetching ? (
          <p className="muted" data-testid="pr-loading">
            Reading the code and rewriting it…
          </p>
        ) : null}
        {preview.isError ? <ErrorBox testId="pr-error" prefix="Cannot open a pull request" message={preview.error.message} /> : null}
        {data && !preview.isError ? <PreviewDetails data={data} mode={mode} /> : null}

        {open.isError ? <ErrorBox testId="pr-open-error" prefix="Nothing was pushed" message={open.error.message} /> : null}
        {open.data ? <Opened opened={open.data} /> : null}

        <div className={styles.actions}>
          <button type="button" className="button" data-testid="pr-cancel" onClick={onClose} disabled={busy}>
            {open.isSuccess ? 'Close' : 'Cancel'}
          </button>
          {data?.connected && !open.isSuccess ? (
            <button
              type="button"
              className={styles.primary}
              data-testid="pr-confirm"
              disabled={!canConfirm}
              onClick={() => open.mutate({ project, playgroundRunId: variantRunId, mode: data.mode })}
            >
              {busy
                ? data.mode === 'push'
                  ? 'Pushing…'
                  : 'Opening…'
                : data.mode === 'push' && existing
                  ? `Push commit to #${existing.number}`
                  : 'Open pull request'}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function PreviewDetails({ data, mode }: { data: PullRequestPreview; mode: PullRequestMode }) {
  const existing = data.existingPullRequest;
  return (
    <>
      {data.connected && data.repository ? (
        <dl className={styles.target} data-testid="pr-target">
          <dt>Repository</dt>
          <dd data-testid="pr-repository">
            {data.repository.owner}/{data.repository.repo}
          </dd>
          <dt>Base branch</dt>
          <dd data-testid="pr-base">{data.repository.baseBranch}</dd>
          <dt>{mode === 'push' ? `Branch of #${existing?.number ?? ''}` : 'New branch'}</dt>
          <dd data-testid="pr-branch">{data.branch}</dd>
          <dt>Title</dt>
          <dd data-testid="pr-title-text">{data.title}</dd>
        </dl>
      ) : null}

      <section aria-label="Variables">
        <h3>Variables</h3>
        <ul className={styles.variables}>
          {data.variables.map((v) => (
            <li key={`${v.path}:${v.name}`} data-testid={`pr-variable-${v.name}`}>
              <div className={styles.variableHead}>
                <span className={styles.variableName}>{v.name}</span>
                <span className={styles.where}>
                  {v.path}:{v.line}
                </span>
                {v.editPath !== v.path || v.editLine !== v.line ? (
                  <span className={styles.where} data-testid="pr-value-location">
                    value in {v.editPath}:{v.editLine}
                  </span>
                ) : null}
              </div>
              <div className={styles.change}>
                <pre className={`${styles.code} ${styles.before}`} data-testid="pr-before" aria-label={`${v.name} before`}>
                  {v.before}
                </pre>
                <span className={styles.arrow} aria-hidden="true">
                  →
                </span>
                <pre className={`${styles.code} ${styles.after}`} data-testid="pr-after" aria-label={`${v.name} after`}>
                  {v.after}
                </pre>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section aria-label="Changes">
        <h3>{data.connected ? 'Changes' : 'Changes (from the source beside the server)'}</h3>
        {data.files.map((f) => (
          <PullRequestFileDiff key={f.path} path={f.path} diff={f.diff} variables={f.variables} />
        ))}
      </section>

      {data.connected ? (
        <details className={styles.body}>
          <summary>Pull request description</summary>
          <pre data-testid="pr-body">{data.body}</pre>
        </details>
      ) : null}
    </>
  );
}

function NotConnected({ project, pending, onDownload }: { project: string; pending: boolean; onDownload: () => void }) {
  return (
    <div className={styles.notice} data-testid="pr-not-connected">
      <p className={styles.message}>
        No GitHub repository is connected to this project. Connect one in{' '}
        <Link href={projectPath(project, 'settings')}>Settings → Repository</Link> to open pull requests from here, or download the change
        as a patch and apply it with <code>git apply</code> in the worker&apos;s source root.
      </p>
      <div className={styles.actions}>
        <button type="button" className="button" data-testid="pr-download-patch" disabled={pending} onClick={onDownload}>
          {pending ? 'Preparing…' : 'Download patch'}
        </button>
      </div>
    </div>
  );
}

function Opened({ opened }: { opened: PullRequestOpened }) {
  const pr = opened.pullRequest;
  return (
    <div className={styles.success} role="status" data-testid="pr-result" data-number={pr.number}>
      {opened.mode === 'push' ? (
        <>
          Pushed commit <code>{shortSha(opened.commitSha)}</code> to pull request{' '}
        </>
      ) : (
        <>Opened pull request </>
      )}
      <a href={pr.url} target="_blank" rel="noopener noreferrer" data-testid="pr-link">
        #{pr.number}
      </a>{' '}
      in {pr.repository} (branch <code>{pr.branch}</code>).
    </div>
  );
}

function ErrorBox({ testId, prefix, message }: { testId: string; prefix: string; message: string }) {
  return (
    <div className="error-box" role="alert" data-testid={testId}>
      <p className={styles.message}>
        {prefix}: {message}
      </p>
    </div>
  );
}

/** Saves `text` as a file through a temporary object URL. */
function downloadText(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/x-diff' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
