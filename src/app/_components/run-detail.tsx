'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { CancelRunButton } from './cancel-run-button';
import { isTerminalRunStatus } from './format';
import { JsonView, TextBlock } from './json-view';
import { useTRPC } from './providers';
import { StatusBadge } from './status-badge';
import { TaskGraph } from './task-graph';
import { TaskPanel } from './task-panel';
import { AbsoluteTime, Duration, RelativeTime, useNow } from './time';

export function RunDetail({ project, id }: { project: string; id: string }) {
  const trpc = useTRPC();
  const now = useNow();
  const query = useQuery(
    trpc.runs.get.queryOptions(
      { project, id },
      {
        // Live until the run is over; a finished run no longer changes.
        refetchInterval: (q) => {
          if (q.state.status === 'error') return 5_000;
          return q.state.data && isTerminalRunStatus(q.state.data.status) ? false : 1_000;
        },
      },
    ),
  );

  if (!query.data) {
    return (
      <section>
        <nav className="breadcrumb">
          <Link href={`/p/${project}`}>Runs</Link> / <span className="mono">{id}</span>
        </nav>
        {query.isError ? (
          <div className="error-box" role="alert">
            Could not load run: {query.error.message}
          </div>
        ) : (
          <p className="muted">Loading run…</p>
        )}
      </section>
    );
  }

  const run = query.data;
  const terminal = isTerminalRunStatus(run.status);
  const done = run.tasks.filter((t) => t.status === 'SUCCEEDED').length;

  return (
    <section data-testid="run-detail" data-status={run.status}>
      <nav className="breadcrumb">
        <Link href={`/p/${project}`}>Runs</Link> / <span>{run.workflowName}</span>
      </nav>
      <div className="page-title run-title">
        <h1>{run.workflowName}</h1>
        <StatusBadge status={run.status} />
        {!terminal ? <span className="live-indicator">Live</span> : null}
        {!terminal ? <CancelRunButton project={project} id={run.id} /> : null}
        <span className="mono muted small run-id" data-testid="run-id">{run.id}</span>
      </div>

      <dl className="meta-grid" data-testid="run-meta">
        <div>
          <dt>Duration</dt>
          <dd><Duration startedAt={run.startedAt} finishedAt={run.finishedAt} now={now} /></dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd><RelativeTime date={run.createdAt} now={now} /></dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd><AbsoluteTime date={run.startedAt} /></dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd><AbsoluteTime date={run.finishedAt} /></dd>
        </div>
        <div>
          <dt>Trigger</dt>
          <dd><span className="trigger">{run.triggerSource.toLowerCase()}</span></dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>v{run.workflowVersion}</dd>
        </div>
        <div>
          <dt>Tasks</dt>
          <dd>{done} / {run.tasks.length} succeeded</dd>
        </div>
      </dl>

      {run.error ? (
        <div className="panel error-section">
          <h2>Error</h2>
          <TextBlock text={run.error} className="error-text" testId="run-error" />
        </div>
      ) : null}

      <div className="io-grid">
        <div className="panel">
          <h2>Input</h2>
          <JsonView value={run.input} testId="run-input" />
        </div>
        <div className="panel">
          <h2>Output</h2>
          <JsonView value={run.output} testId="run-output" empty={terminal ? 'No output' : 'Not finished yet'} />
        </div>
      </div>

      <h2 className="section-title">Tasks</h2>
      <TaskGraph tasks={run.tasks} now={now} />
      <div className="task-list">
        {run.tasks.map((task) => (
          <TaskPanel key={task.id} task={task} now={now} />
        ))}
      </div>
    </section>
  );
}
