import Link from 'next/link';
import type { PlaygroundTaskData } from './playground-types';
import styles from './playground.module.css';
import { StatusBadge } from '@/app/_ui/status-badge';
import { projectPath, runPath, workflowPath } from '@/server/shared/urls';

/** Where the page is (breadcrumb), what it re-runs, and anything that stops or changes a re-run. */
export function PlaygroundHeader({ data, project }: { data: PlaygroundTaskData; project: string }) {
  const { run } = data;
  const runHref = runPath(project, run.id);
  return (
    <header className={styles.header}>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href={projectPath(project)}>Runs</Link> /{' '}
        <Link href={runHref} className="mono" data-testid="breadcrumb-run">
          {run.id}
        </Link>{' '}
        / <span className="mono">{data.task.taskName}</span> / <span>Playground</span>
      </nav>
      <div className={styles.titleRow}>
        <h1>
          Playground: <span className="mono">{data.task.taskName}</span>
        </h1>
      </div>
      <div className={styles.meta} data-testid="playground-meta">
        <span>
          Workflow <Link href={workflowPath(project, run.workflowName)}>{run.workflowName}</Link> v{run.workflowVersion}
        </span>
        <span>
          Source run <StatusBadge status={run.status} />
        </span>
        {run.playgroundOf ? (
          <span>
            itself a playground re-run of{' '}
            <Link href={runPath(project, run.playgroundOf.sourceRunId)}>{run.playgroundOf.sourceRunId.slice(0, 8)}</Link>
          </span>
        ) : null}
      </div>
      {data.latestVersion !== run.workflowVersion ? (
        <p className={styles.notice} data-testid="version-notice">
          The workflow’s latest version is v{data.latestVersion}; this run used v{run.workflowVersion}. Re-runs use v{data.latestVersion}{' '}
          (the code the workers run now).
        </p>
      ) : null}
      {!data.runnable ? (
        <p className="error-box" role="alert" data-testid="not-runnable">
          {data.task.isOnFailure
            ? `'${data.task.taskName}' is the workflow’s onFailure task: it runs only after a failure and cannot be re-run alone.`
            : `The latest version of '${run.workflowName}' has no task '${data.task.taskName}': it cannot be re-run.`}
        </p>
      ) : null}
    </header>
  );
}
