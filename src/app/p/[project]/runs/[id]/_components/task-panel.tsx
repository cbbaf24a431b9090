import Link from 'next/link';
import { JsonView, TextBlock } from '@/app/_ui/json-view';
import { StatusBadge } from '@/app/_ui/status-badge';
import { TaskAttempts } from './task-attempts';
import { TaskChildren } from './task-children';
import { DurableWaiting, TaskDurableSteps } from './task-durable-steps';
import { TaskLogs } from './task-logs';
import { TaskVariables } from './task-variables';
import styles from './task-variables.module.css';
import { ClockTime, Duration } from '@/app/_ui/time';
import type { TaskData } from './types';
import { isOpenTaskStatus } from '@/server/shared/statuses';
import { taskAnchor } from '@/server/shared/urls';

/**
 * Everything recorded for one task run: status, attempts, worker, timings, I/O, error, the
 * playground variables it used, logs. A frozen task (a playground run's task copied from its
 * source run) was not executed here: it shows only what it carries over.
 */
export function TaskPanel({ task, now, selected = false }: { task: TaskData; now: number; selected?: boolean }) {
  const name = task.taskName;
  const waiting = isOpenTaskStatus(task.status);
  return (
    <section
      className={`panel task-panel status-edge-${task.status.toLowerCase()}${selected ? ' selected' : ''}`}
      id={taskAnchor(name)}
      data-testid={`task-${name}`}
      data-status={task.status}
      data-frozen={task.frozen ? 'true' : undefined}
      data-selected={selected ? 'true' : undefined}
      tabIndex={-1}
    >
      <header className="task-header">
        <h3 className="mono">{name}</h3>
        <StatusBadge status={task.status} />
        {task.isOnFailure ? <span className="trigger">on failure</span> : null}
        {task.frozen ? (
          <span className={styles.frozenBadge} data-testid={`frozen-${name}`} title="Copied from the source run: not executed in this run">
            from source run
          </span>
        ) : null}
        <span className="muted small">{task.parents.length > 0 ? `after ${task.parents.join(', ')}` : 'root task'}</span>
        {task.status === 'PENDING' && task.waitingFor === 'CONCURRENCY' ? (
          <span className="muted small" data-testid={`task-waiting-${name}`}>
            waiting for concurrency: {task.concurrencyKeys.map((k) => k.slice(k.indexOf(':') + 1) || '(empty key)').join(', ')}
          </span>
        ) : null}
        <DurableWaiting task={task} />
        {task.playgroundPath ? (
          <Link href={task.playgroundPath} className={styles.playgroundLink} data-testid={`open-playground-${name}`}>
            Open in playground
          </Link>
        ) : null}
      </header>

      {task.frozen ? (
        <p className={styles.frozenNote} data-testid={`frozen-note-${name}`}>
          {task.isOnFailure ? (
            'The onFailure task never runs in a playground run: an experiment pages nobody.'
          ) : (
            <>
              Not executed in this playground run: {task.status === 'SUCCEEDED' ? 'its output is copied from' : 'it did not succeed in'}{' '}
              {task.sourceTaskPath ? <Link href={task.sourceTaskPath}>the source run</Link> : 'the source run'}.
            </>
          )}
        </p>
      ) : (
        <TaskTimings task={task} now={now} />
      )}

      {task.error ? (
        <div className="error-section">
          <h4>Error</h4>
          <TextBlock text={task.error} className="error-text" testId={`error-${name}`} />
        </div>
      ) : null}

      {task.frozen ? null : <TaskAttempts attempts={task.attemptHistory} testId={`attempt-list-${name}`} />}

      <TaskChildren task={task} />

      <TaskDurableSteps task={task} />

      <TaskVariables taskName={name} variables={task.variables} />

      <div className="io-grid">
        <div>
          <h4>Input</h4>
          <JsonView value={task.input} testId={`input-${name}`} />
        </div>
        <div>
          <h4>Output</h4>
          <JsonView value={task.output} testId={`output-${name}`} empty={waiting ? 'Not finished yet' : 'No output'} />
        </div>
      </div>

      {task.frozen ? null : (
        <>
          <h4>
            Logs <span className="muted small">({task.logCount})</span>
          </h4>
          <TaskLogs
            logs={task.logs}
            total={task.logCount}
            attempts={Math.max(task.attempts, ...task.logs.map((l) => l.attempt))}
            testId={`logs-${name}`}
          />
        </>
      )}
    </section>
  );
}

/** Attempts, worker and times (of the latest attempt) of a task that runs in this run. */
function TaskTimings({ task, now }: { task: TaskData; now: number }) {
  const name = task.taskName;
  return (
    <dl className="meta-grid compact">
      <div>
        <dt>Attempts</dt>
        <dd data-testid={`attempts-${name}`}>{task.attempts}</dd>
      </div>
      <div>
        <dt>Worker</dt>
        <dd className={task.workerName ? undefined : 'muted'}>{task.workerName ?? '—'}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>
          <Duration startedAt={task.startedAt} finishedAt={task.finishedAt} now={now} />
        </dd>
      </div>
      <div>
        <dt>Queued</dt>
        <dd>
          <ClockTime date={task.queuedAt} />
        </dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>
          <ClockTime date={task.startedAt} />
        </dd>
      </div>
      <div>
        <dt>Finished</dt>
        <dd>
          <ClockTime date={task.finishedAt} />
        </dd>
      </div>
    </dl>
  );
}
