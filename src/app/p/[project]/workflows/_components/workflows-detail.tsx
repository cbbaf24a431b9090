'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { shortId } from '../../events/_components/events-runs';
import { useTRPC } from '@/app/_trpc/providers';
import { StatusBadge } from '@/app/_ui/status-badge';
import { Duration, RelativeTime, useNow } from '@/app/_ui/time';
import { WorkflowDefinitionView } from './workflows-definition';
import { TriggerRunForm } from './workflows-trigger-form';
import { parseVersionParam, workflowGetInput } from './workflows-version-param';
import styles from './workflows.module.css';
import { projectPath, runPath, withQuery } from '@/server/shared/urls';
import { isTerminalRunStatus } from '@/server/shared/statuses';

function selectVersion(version: number, latest: number | null) {
  const url = version === latest ? window.location.pathname : `${window.location.pathname}?version=${version}`;
  window.history.pushState(null, '', url);
}

/** A workflow's page: versions, the selected version's definition, recent runs and (for editors) Trigger run. */
export function WorkflowDetail({ project, name, canEdit }: { project: string; name: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const now = useNow();
  const version = parseVersionParam(useSearchParams());
  const query = useQuery(
    trpc.workflows.get.queryOptions(workflowGetInput(project, name, version), {
      placeholderData: keepPreviousData,
      // Fast while a recent run can still change; new runs and versions still show up within seconds.
      refetchInterval: (q) => (q.state.data?.recentRuns.some((r) => !isTerminalRunStatus(r.status)) ? 1_000 : 5_000),
    }),
  );
  const data = query.data;

  return (
    <section data-testid="workflow-page" data-workflow={name}>
      <nav className="breadcrumb">
        <Link href={projectPath(project, 'workflows')}>Workflows</Link> / <span>{name}</span>
      </nav>
      <div className="page-title">
        <h1>{name}</h1>
        {data?.latestVersion ? <span className="muted">latest v{data.latestVersion}</span> : null}
      </div>
      {data?.selected?.definition?.description ? <p className={styles.description}>{data.selected.definition.description}</p> : null}
      {query.isError ? (
        <div className="error-box" role="alert">
          Could not load the workflow: {query.error.message}
        </div>
      ) : null}

      {data ? (
        <div className={styles.grid}>
          <div className={styles.stack}>
            {data.selected ? (
              <WorkflowDefinitionView
                key={data.selected.version}
                project={project}
                version={data.selected.version}
                isLatest={data.selected.version === data.latestVersion}
                definition={data.selected.definition}
                raw={data.selected.raw}
                crons={data.crons}
              />
            ) : (
              <p className="muted">This workflow has no registered version.</p>
            )}
          </div>

          <div className={styles.stack}>
            {data.trigger && canEdit ? (
              <TriggerRunForm
                key={`${name}@${data.trigger.version}`}
                project={project}
                workflow={name}
                version={data.trigger.version}
                inputSchema={data.trigger.inputSchema}
                defaultPriority={data.trigger.defaultPriority}
              />
            ) : null}
            {!canEdit ? (
              <p className="muted small" data-testid="trigger-viewer-note">
                Viewers cannot trigger runs; ask an owner for the editor role.
              </p>
            ) : null}

            <div className="panel">
              <h2>Versions</h2>
              <table className="runs-table table compact" data-testid="workflow-versions">
                <thead>
                  <tr>
                    <th>Version</th>
                    <th>Registered</th>
                    <th>Checksum</th>
                    <th className="num">Tasks</th>
                  </tr>
                </thead>
                <tbody>
                  {data.versions.map((v) => {
                    const current = v.version === data.selected?.version;
                    return (
                      <tr
                        key={v.version}
                        data-testid={`workflow-version-${v.version}`}
                        aria-selected={current}
                        className={current ? styles.current : undefined}
                      >
                        <td>
                          <button
                            type="button"
                            className="link-button"
                            data-testid={`workflow-version-select-${v.version}`}
                            onClick={() => selectVersion(v.version, data.latestVersion)}
                          >
                            v{v.version}
                          </button>
                          {v.version === data.latestVersion ? <span className="muted small"> latest</span> : null}
                        </td>
                        <td>
                          <RelativeTime date={v.createdAt} now={now} />
                        </td>
                        <td className="mono small" title={v.checksum}>
                          {v.checksum.slice(0, 12)}
                        </td>
                        <td className="num">{v.taskCount}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>

            <div className="panel">
              <div className={styles.sectionHead}>
                <h2>Recent runs</h2>
                <Link href={withQuery(projectPath(project), { workflow: name })} className="small">
                  all runs →
                </Link>
              </div>
              {data.recentRuns.length === 0 ? (
                <p className="muted small">No runs yet.</p>
              ) : (
                <table className="runs-table table compact" data-testid="workflow-recent-runs">
                  <tbody>
                    {data.recentRuns.map((r) => (
                      <tr key={r.id} data-testid={`workflow-run-${r.id}`}>
                        <td>
                          <Link href={runPath(project, r.id)} className="row-link mono small">
                            {shortId(r.id)}
                          </Link>
                        </td>
                        <td>
                          <StatusBadge status={r.status} />
                        </td>
                        <td className="small">v{r.version}</td>
                        <td>
                          <RelativeTime date={r.createdAt} now={now} />
                        </td>
                        <td className="num small">
                          <Duration startedAt={r.startedAt} finishedAt={r.finishedAt} now={now} />
                        </td>
                        <td>
                          <span className="trigger">{r.triggerSource.toLowerCase()}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          </div>
        </div>
      ) : null}
    </section>
  );
}
