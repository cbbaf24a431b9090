import { formatDuration } from '@/app/_ui/format';
import { TextBlock } from '@/app/_ui/json-view';
import { StatusBadge } from '@/app/_ui/status-badge';
import { ClockTime } from '@/app/_ui/time';
import type { TaskData } from './types';

type Attempt = TaskData['attemptHistory'][number];

function waitedMs(a: Attempt): number | null {
  return a.queuedAt && a.startedAt ? Math.max(0, a.startedAt.getTime() - a.queuedAt.getTime()) : null;
}

/** First line always; the whole error (stack trace) one click away. */
function AttemptError({ error, testId }: { error: string | null; testId: string }) {
  if (!error) return null;
  const [first = '', ...rest] = error.split('\n');
  if (rest.length === 0 && first.length <= 200) return <span className="mono small">{first}</span>;
  return (
    <details className="attempt-error">
      <summary className="mono small">{first.length > 200 ? `${first.slice(0, 200)}…` : first}</summary>
      <TextBlock text={error} className="error-text" testId={testId} />
    </details>
  );
}

/** Every attempt of a task with its outcome: retries, timeouts and attempts lost with a worker. */
export function TaskAttempts({ attempts, testId }: { attempts: TaskData['attemptHistory']; testId: string }) {
  if (attempts.length < 2 && !attempts.some((a) => a.error)) return null;
  return (
    <>
      <h4>Attempts</h4>
      <table className="table compact attempts-table" data-testid={testId}>
        <thead>
          <tr>
            <th>#</th>
            <th>Status</th>
            <th>Worker</th>
            <th>Queued</th>
            <th>Started</th>
            <th>Waited</th>
            <th>Took</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.attempt} data-testid={`${testId}-${a.attempt}`}>
              <td>{a.attempt}</td>
              <td>
                <StatusBadge status={a.status} />
              </td>
              <td className={a.workerName ? undefined : 'muted'}>{a.workerName ?? '—'}</td>
              <td>
                <ClockTime date={a.queuedAt} />
              </td>
              <td>
                <ClockTime date={a.startedAt} />
              </td>
              <td>{formatDuration(waitedMs(a))}</td>
              <td>{formatDuration(a.durationMs)}</td>
              <td className="attempt-error-cell">
                <AttemptError error={a.error} testId={`${testId}-${a.attempt}-error`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
