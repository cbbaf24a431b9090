import Link from 'next/link';
import { StatusBadge } from '@/app/_ui/status-badge';
import { AbsoluteTime } from '@/app/_ui/time';
import type { RunDetailData } from './types';
import { projectPath, runPath, withQuery } from '@/server/shared/urls';

const SOURCE_LABELS: Record<string, string> = {
  API: 'API / SDK',
  DASHBOARD: 'Dashboard',
  EVENT: 'Event',
  CRON: 'Cron',
  SCHEDULE: 'Schedule',
  REPLAY: 'Replay',
  PLAYGROUND: 'Playground',
};

const MODE_LABELS: Record<string, string> = { STEP: 'this step only', FROM_HERE: 'from here on' };

// Run ids are uuid v7: the first characters are a timestamp shared by runs created close together,
// the last ones are random. Show both ends.
const shortId = (id: string) => `${id.slice(0, 8)}…${id.slice(-4)}`;

function RunLink({ project, run, testId }: { project: string; run: RunDetailData['replays'][number]; testId: string }) {
  return (
    <Link href={runPath(project, run.id)} className="linked-run" data-testid={testId} title={run.id}>
      <span className="mono">{shortId(run.id)}</span>
      <span className="muted small">
        <AbsoluteTime date={run.createdAt} />
      </span>
      <StatusBadge status={run.status} />
    </Link>
  );
}

/** What started the run, with links to the event, schedule or source run; replays and playground runs of it; its metadata. */
export function RunTrigger({ project, run }: { project: string; run: RunDetailData }) {
  const metadata = metadataEntries(run.additionalMetadata);
  return (
    <section className="run-trigger" data-testid="run-trigger" data-source={run.triggerSource}>
      <div className="trigger-line">
        <span className="trigger-label">Triggered by</span>
        <span className="trigger">{SOURCE_LABELS[run.triggerSource] ?? run.triggerSource}</span>
        <TriggerDetail project={project} run={run} />
        {run.replayOf ? (
          <span className="trigger-replay-of">
            replay of <RunLink project={project} run={run.replayOf} testId="trigger-replay-of" />
          </span>
        ) : run.triggerSource === 'REPLAY' ? (
          <span className="muted small">(the source run was deleted)</span>
        ) : null}
      </div>

      {run.childOf ? <ChildOf of={run.childOf} /> : null}

      {run.replayCount > 0 ? (
        <div className="trigger-line" data-testid="run-replays">
          <span className="trigger-label">Replayed as</span>
          {run.replays.map((r) => (
            <RunLink key={r.id} project={project} run={r} testId={`replay-${r.id}`} />
          ))}
          {run.replayCount > run.replays.length ? (
            <span className="muted small">and {run.replayCount - run.replays.length} older</span>
          ) : null}
        </div>
      ) : null}

      {run.playgroundRunCount > 0 ? (
        <div className="trigger-line" data-testid="run-playground-runs">
          <span className="trigger-label">Playground runs: {run.playgroundRunCount}</span>
          {run.playgroundTasks.map((t) => (
            <Link key={t.taskName} href={t.playgroundPath} className="linked-run" data-testid={`playground-task-${t.taskName}`}>
              <span className="mono">{t.taskName}</span>
              <span className="muted small">
                {t.runCount} {t.runCount === 1 ? 'run' : 'runs'}
              </span>
            </Link>
          ))}
          {run.playgroundTaskCount > run.playgroundTasks.length ? (
            <span className="muted small">and {run.playgroundTaskCount - run.playgroundTasks.length} more tasks</span>
          ) : null}
        </div>
      ) : null}

      {metadata.length > 0 ? (
        <div className="trigger-line" data-testid="run-metadata">
          <span className="trigger-label">Metadata</span>
          {metadata.map(([key, value]) => (
            <span key={key} className="chip" data-testid="metadata-chip" title={`${key}: ${value}`}>
              <span className="chip-key">{key}</span>
              <span className="chip-value">{value}</span>
            </span>
          ))}
        </div>
      ) : null}
    </section>
  );
}

function TriggerDetail({ project, run }: { project: string; run: RunDetailData }) {
  switch (run.triggerSource) {
    case 'EVENT':
      if (!run.event) return <span className="muted small">(the event was deleted)</span>;
      return (
        <Link href={withQuery(projectPath(project, 'events'), { id: run.event.id })} data-testid="trigger-event" title={run.event.id}>
          <span className="mono">{run.event.key}</span>
          <span className="muted small">
            {' '}
            · pushed <AbsoluteTime date={run.event.createdAt} />
          </span>
        </Link>
      );
    case 'CRON':
    case 'SCHEDULE': {
      const s = run.schedule;
      if (!s) return <span className="muted small">(the schedule was deleted)</span>;
      return (
        <Link href={projectPath(project, 'schedules')} data-testid="trigger-schedule" title={s.id}>
          {s.kind === 'CRON' ? (
            <>
              {s.name ? <span className="mono">{s.name}</span> : null} <code>{s.expression}</code>
            </>
          ) : (
            <>
              one-off for <AbsoluteTime date={s.runAt} />
            </>
          )}
        </Link>
      );
    }
    case 'PLAYGROUND':
      return <PlaygroundOrigin project={project} run={run} />;
    default:
      return null;
  }
}

/** "Child of <parent run> · task <name>": the run and task that spawned this child run. */
function ChildOf({ of }: { of: NonNullable<RunDetailData['childOf']> }) {
  return (
    <div className="trigger-line" data-testid="run-child-of">
      <span className="trigger-label">Child of</span>
      <Link href={of.run.path} className="linked-run" data-testid="child-of-run" title={of.run.id}>
        <span className="mono">{of.run.workflowName}</span>
        <span className="mono muted small">{shortId(of.run.id)}</span>
        <StatusBadge status={of.run.status} />
      </Link>
      <span className="muted small">
        {'· task '}
        <Link href={`${of.run.path}#task-${encodeURIComponent(of.taskName)}`} className="mono" data-testid="child-of-task">
          {of.taskName}
        </Link>
      </span>
    </div>
  );
}

/** "Playground run of <source> · task draft · this step only · variant 2 · batch". */
function PlaygroundOrigin({ project, run }: { project: string; run: RunDetailData }) {
  const of = run.playgroundOf;
  if (!of) return <span className="muted small">(the source run was deleted)</span>;
  return (
    <span className="trigger-playground" data-testid="trigger-playground">
      run of{' '}
      {of.sourceRun ? (
        <RunLink project={project} run={of.sourceRun} testId="trigger-playground-source" />
      ) : (
        <span className="muted small">a deleted run</span>
      )}
      <span>
        {' · task '}
        <span className="mono" data-testid="trigger-playground-task">
          {of.taskName}
        </span>
        {` · ${MODE_LABELS[of.mode] ?? of.mode} · variant ${of.variant + 1} · `}
      </span>
      <Link href={of.batchPath} data-testid="trigger-playground-batch">
        open the batch in the playground
      </Link>
    </span>
  );
}

/** `additionalMetadata` is a string map (anything else stored there is shown as JSON text), sorted by key. */
function metadataEntries(value: unknown): Array<[string, string]> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
}
