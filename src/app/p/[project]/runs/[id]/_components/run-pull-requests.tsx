'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { StoredPullRequest } from '../playground/[task]/_components/pull-request/pull-request-types';
import { shortSha } from '../playground/[task]/_components/pull-request/pull-request-values';
import styles from '../playground/[task]/_components/pull-request/pull-request.module.css';
import { useTRPC } from '@/app/_trpc/providers';
import { RelativeTime, useNow } from '@/app/_ui/time';
import { runPath } from '@/server/shared/urls';

const STATE_CLASS: Record<StoredPullRequest['state'], string | undefined> = {
  OPEN: styles.open,
  MERGED: styles.merged,
  CLOSED: styles.closed,
};

/**
 * The pull requests this run is the source or a variant of ("Open pull request" in the
 * playground), with their state on GitHub, branch, and the variants their commits came from.
 * Nothing is shown for a run without any.
 */
export function RunPullRequests({ project, runId }: { project: string; runId: string }) {
  const trpc = useTRPC();
  const now = useNow(30_000);
  // The server re-reads open ones from GitHub at most once a minute: a merge shows up without a reload.
  const query = useQuery(trpc.pullRequests.forRun.queryOptions({ project, runId }, { refetchInterval: 60_000 }));
  if (query.isError) {
    return (
      <div className="error-box" role="alert" data-testid="run-pull-requests-error">
        Could not load the pull requests of this run: {query.error.message}
      </div>
    );
  }
  if (!query.data?.length) return null;
  return (
    <section data-testid="run-pull-requests" aria-label="Pull requests">
      <h2 className="section-title">Pull requests</h2>
      <table className={`runs-table ${styles.runsTable}`}>
        <thead>
          <tr>
            <th>Pull request</th>
            <th>State</th>
            <th>Task</th>
            <th>Branch</th>
            <th>From</th>
            <th>Opened</th>
          </tr>
        </thead>
        <tbody>
          {query.data.map((pr) => (
            <tr key={pr.id} data-testid="pull-request-row" data-number={pr.number}>
              <td>
                <a href={pr.url} target="_blank" rel="noopener noreferrer" className="row-link" data-testid="pull-request-link">
                  #{pr.number}
                </a>{' '}
                <span className="muted small">{pr.repository}</span>
              </td>
              <td>
                <span className={`${styles.state} ${STATE_CLASS[pr.state] ?? ''}`} data-testid="pull-request-state" data-state={pr.state}>
                  {pr.state}
                </span>
              </td>
              <td className="mono small">
                {pr.workflowName} › {pr.taskName}
              </td>
              <td className="mono small" data-testid="pull-request-branch">
                {pr.branch} <span className="muted">→ {pr.base}</span>
              </td>
              <td className="small">
                <Commits project={project} runId={runId} pr={pr} />
              </td>
              <td className="small">
                <RelativeTime date={pr.createdAt} now={now} />
                {pr.createdBy ? <div className="muted">by {pr.createdBy}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Each commit Whetstone pushed: its variant run and source run, "this run" for the one on screen. */
function Commits({ project, runId, pr }: { project: string; runId: string; pr: StoredPullRequest }) {
  return (
    <ul className={styles.commits} data-testid="pull-request-commits" data-count={pr.commits.length}>
      {pr.commits.map((c) => (
        <li key={c.sha}>
          <code>{shortSha(c.sha)}</code> variant <RunLink project={project} id={c.variantRunId} current={runId} /> of source{' '}
          <RunLink project={project} id={c.sourceRunId} current={runId} />
        </li>
      ))}
    </ul>
  );
}

function RunLink({ project, id, current }: { project: string; id: string; current: string }) {
  if (id === current) return <strong>this run</strong>;
  return (
    <Link href={runPath(project, id)} className="mono" title={id}>
      …{id.slice(-8)}
    </Link>
  );
}
