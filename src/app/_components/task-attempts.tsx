import { StatusBadge } from './status-badge';
import { ClockTime } from './time';
import type { TaskData } from './types';

/** Every attempt of a task with its outcome: retries, timeouts and attempts lost with a worker. */
export function TaskAttempts({ attempts, testId }: { attempts: TaskData['attemptHistory']; testId: string }) {
  if (attempts.length < 2 && !attempts.some((a) => a.error)) return null;
  return (
    <>
      <h4>Attempts</h4>
      <table className="table compact" data-testid={testId}>
        <thead>
          <tr>
            <th>#</th>
            <th>Status</th>
            <th>Worker</th>
            <th>Started</th>
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
                <ClockTime date={a.startedAt} />
              </td>
              <td>{a.durationMs === null ? '—' : `${a.durationMs} ms`}</td>
              <td className="mono small">{a.error ? a.error.split('\n')[0] : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
