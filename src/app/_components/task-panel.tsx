import { JsonView, TextBlock } from './json-view';
import { StatusBadge } from './status-badge';
import { TaskAttempts } from './task-attempts';
import { TaskLogs } from './task-logs';
import { ClockTime, Duration } from './time';
import type { TaskData } from './types';

/** Everything recorded for one task run: status, attempts, worker, timings, I/O, error, logs. */
export function TaskPanel({ task, now, selected = false }: { task: TaskData; now: number; selected?: boolean }) {
  const name = task.taskName;
  const waiting = task.status === 'PENDING' || task.status === 'QUEUED' || task.status === 'RUNNING';
  return (
    <section
      className={`panel task-panel status-edge-${task.status.toLowerCase()}${selected ? ' selected' : ''}`}
      id={`task-${encodeURIComponent(name)}`}
      data-testid={`task-${name}`}
      data-status={task.status}
      data-selected={selected ? 'true' : undefined}
      tabIndex={-1}
    >
      <header className="task-header">
        <h3 className="mono">{name}</h3>
        <StatusBadge status={task.status} />
        {task.isOnFailure ? <span className="trigger">on failure</span> : null}
        <span className="muted small">
          {task.parents.length > 0 ? `after ${task.parents.join(', ')}` : 'root task'}
        </span>
      </header>

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

      {task.error ? (
        <div className="error-section">
          <h4>Error</h4>
          <TextBlock text={task.error} className="error-text" testId={`error-${name}`} />
        </div>
      ) : null}

      <TaskAttempts attempts={task.attemptHistory} testId={`attempt-list-${name}`} />

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

      <h4>
        Logs <span className="muted small">({task.logCount})</span>
      </h4>
      <TaskLogs
        logs={task.logs}
        total={task.logCount}
        attempts={Math.max(task.attempts, ...task.logs.map((l) => l.attempt))}
        testId={`logs-${name}`}
      />
    </section>
  );
}
