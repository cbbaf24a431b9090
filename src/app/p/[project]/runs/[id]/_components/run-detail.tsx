'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { CancelRunButton } from './cancel-run-button';
import { JsonView, TextBlock } from '@/app/_ui/json-view';
import { useTRPC } from '@/app/_trpc/providers';
import { ReplayButton } from '../../_components/replay-dialog';
import { RunPullRequests } from './run-pull-requests';
import { RunTimeline } from './run-timeline';
import { RunTrigger } from './run-trigger';
import { RunUsage } from './run-usage';
import { StatusBadge } from '@/app/_ui/status-badge';
import { TaskGraph } from './task-graph';
import { TaskPanel } from './task-panel';
import { AbsoluteTime, Duration, RelativeTime, useNow } from '@/app/_ui/time';
import { isTerminalRunStatus } from '@/server/shared/statuses';
import { projectPath, taskAnchor, taskFromAnchor } from '@/server/shared/urls';

/** The task named in the URL (`#task-<name>`), so a link can point at one task. */
function taskFromHash(): string | null {
  return taskFromAnchor(window.location.hash.slice(1));
}

/** Selecting a task (graph node, timeline row) highlights its panel and scrolls to it. */
function useSelectedTask() {
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => setSelected(taskFromHash()), []);
  const select = useCallback((name: string) => {
    setSelected(name);
    const anchor = taskAnchor(name);
    window.history.replaceState(null, '', `#${anchor}`);
    const panel = document.getElementById(anchor);
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    panel?.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'start' });
    panel?.focus({ preventScroll: true });
  }, []);
  return [selected, select] as const;
}

export function RunDetail({ project, id }: { project: string; id: string }) {
  const trpc = useTRPC();
  const now = useNow();
  const [selected, select] = useSelectedTask();
  const info = useQuery(trpc.system.info.queryOptions({ project }));
  const canEdit = info.data?.role === 'OWNER' || info.data?.role === 'EDITOR';
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

  // A playground run's frozen tasks did not run here: the timeline shows only what ran.
  const tasks = query.data?.tasks;
  const executed = useMemo(() => (tasks ?? []).filter((t) => !t.frozen), [tasks]);

  if (!query.data) {
    return (
      <section>
        <nav className="breadcrumb">
          <Link href={projectPath(project)}>Runs</Link> / <span className="mono">{id}</span>
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
  const done = run.tasks.filter((t) => t.status === 'SUCCEEDED' && !t.frozen).length;
  const frozen = run.tasks.length - executed.length;

  return (
    <section data-testid="run-detail" data-status={run.status}>
      <nav className="breadcrumb">
        <Link href={projectPath(project)}>Runs</Link> / <span>{run.workflowName}</span>
      </nav>
      <div className="page-title run-title">
        <h1>{run.workflowName}</h1>
        <StatusBadge status={run.status} />
        {run.waitingFor === 'CONCURRENCY' ? (
          <span className="muted small" data-testid="run-waiting">
            waiting for concurrency: {run.concurrencyKeys.map((k) => k.slice(k.indexOf(':') + 1) || '(empty key)').join(', ')}
          </span>
        ) : null}
        {!terminal ? <span className="live-indicator">Live</span> : null}
        {!terminal && canEdit ? <CancelRunButton project={project} id={run.id} /> : null}
        {canEdit ? <ReplayButton project={project} run={run} /> : null}
        <span className="mono muted small run-id" data-testid="run-id">
          {run.id}
        </span>
      </div>

      <dl className="meta-grid" data-testid="run-meta">
        <div>
          <dt>Duration</dt>
          <dd>
            <Duration startedAt={run.startedAt} finishedAt={run.finishedAt} now={now} />
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <RelativeTime date={run.createdAt} now={now} />
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <AbsoluteTime date={run.startedAt} />
          </dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>
            <AbsoluteTime date={run.finishedAt} />
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>v{run.workflowVersion}</dd>
        </div>
        <div>
          <dt>Tasks</dt>
          <dd>
            {done} / {executed.length} succeeded{frozen ? <span className="muted small"> · {frozen} from the source run</span> : null}
          </dd>
        </div>
      </dl>

      <RunTrigger project={project} run={run} />

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

      <h2 className="section-title">Graph</h2>
      <TaskGraph tasks={run.tasks} now={now} selected={selected} onSelect={select} />

      {executed.length > 0 ? (
        <>
          <h2 className="section-title">Timeline</h2>
          {frozen ? (
            <p className="muted small" data-testid="timeline-frozen-note">
              {frozen} {frozen === 1 ? 'task' : 'tasks'} copied from the source run did not run here and {frozen === 1 ? 'is' : 'are'} not
              on the timeline.
            </p>
          ) : null}
          <RunTimeline run={run} tasks={executed} asOf={query.dataUpdatedAt} selected={selected} onSelect={select} />
        </>
      ) : null}

      <RunUsage project={project} runId={run.id} />
      <RunPullRequests project={project} runId={run.id} />

      <h2 className="section-title">Tasks</h2>
      <div className="task-list">
        {run.tasks.map((task) => (
          <TaskPanel key={task.id} task={task} now={now} selected={selected === task.taskName} />
        ))}
      </div>
    </section>
  );
}
