'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/app/_trpc/providers';
import { StatusBadge } from '@/app/_ui/status-badge';
import { RelativeTime, useNow } from '@/app/_ui/time';
import styles from './workflows.module.css';
import { workflowPath } from '@/server/shared/urls';

/** The project's registered workflows, each linking to its page (versions, DAG, triggers, runs, Trigger run). */
export function WorkflowsList({ project }: { project: string }) {
  const trpc = useTRPC();
  const now = useNow(5_000);
  // New versions and runs show up without a reload; nothing here changes faster than that matters.
  const query = useQuery(trpc.workflows.list.queryOptions({ project }, { refetchInterval: 5_000 }));
  const workflows = query.data ?? [];

  return (
    <section data-testid="workflows-page">
      <div className="page-title">
        <h1>Workflows</h1>
      </div>
      {query.isError ? (
        <div className="error-box" role="alert">
          Could not load workflows: {query.error.message}
        </div>
      ) : null}
      {query.data && workflows.length === 0 ? (
        <div className="empty-state" data-testid="workflows-empty">
          <h2>No workflows yet</h2>
          <p>A workflow appears here when a worker that defines it starts. Try the demo workflows:</p>
          <pre className="command">npm start</pre>
        </div>
      ) : (
        <table className="runs-table" data-testid="workflows-table">
          <thead>
            <tr>
              <th>Workflow</th>
              <th className="num">Version</th>
              <th className="num">Tasks</th>
              <th>Triggers</th>
              <th>Last run</th>
            </tr>
          </thead>
          <tbody>
            {workflows.map((w) => (
              <tr key={w.name} data-testid={`workflow-${w.name}`}>
                <td>
                  <Link href={workflowPath(project, w.name)} className="row-link">
                    {w.name}
                  </Link>
                  {w.kind === 'task' ? <span className="muted small"> · task</span> : null}
                  {w.description ? <div className="muted small">{w.description}</div> : null}
                </td>
                <td className="num" data-testid={`workflow-${w.name}-version`}>
                  {w.latestVersion ? `v${w.latestVersion}` : '—'}
                  <div className="muted small">
                    {w.versionCount} {w.versionCount === 1 ? 'version' : 'versions'}
                  </div>
                </td>
                <td className="num">{w.taskCount}</td>
                <td>
                  <div className={styles.patterns}>
                    {w.onEvents.map((p) => (
                      <span key={`e-${p}`} className={styles.tag} title="Event pattern">
                        event {p}
                      </span>
                    ))}
                    {w.onCrons.map((c) => (
                      <span key={`c-${c}`} className={styles.tag} title="Cron (UTC)">
                        cron {c}
                      </span>
                    ))}
                    {w.onEvents.length + w.onCrons.length === 0 ? <span className="muted small">API / dashboard</span> : null}
                  </div>
                </td>
                <td>
                  {w.lastRun ? (
                    <>
                      <StatusBadge status={w.lastRun.status} /> <RelativeTime date={w.lastRun.createdAt} now={now} />
                    </>
                  ) : (
                    <span className="muted">never</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
