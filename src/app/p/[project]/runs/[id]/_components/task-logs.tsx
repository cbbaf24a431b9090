'use client';

import { useState } from 'react';
import { formatAbsolute, formatClock, formatSize, truncateText } from '@/app/_ui/format';
import type { LogLine } from './types';

function LogMessage({ message }: { message: string }) {
  const [showAll, setShowAll] = useState(false);
  const cut = truncateText(message);
  if (!cut.truncated || showAll) return <span className="log-msg">{message}</span>;
  return (
    <span className="log-msg">
      {cut.text}…{' '}
      <button type="button" className="link-button" onClick={() => setShowAll(true)}>
        Show all ({formatSize(cut.hidden)} more)
      </button>
    </span>
  );
}

/**
 * A task's log lines in order, as text. `total` is how many exist (the API caps what it sends).
 * With several attempts, each line carries its attempt number and a filter shows one attempt.
 */
export function TaskLogs(props: { logs: LogLine[]; total: number; attempts: number; testId: string }) {
  const [attempt, setAttempt] = useState<number | null>(null);
  const multiAttempt = props.attempts > 1;
  const filterable = multiAttempt && props.logs.length > 0;
  const shown = attempt === null ? props.logs : props.logs.filter((l) => l.attempt === attempt);
  return (
    <div className="logs-wrap" data-testid={props.testId}>
      {filterable ? (
        <div className="log-filter" role="group" aria-label="Log lines of attempt">
          <button type="button" className="filter" aria-pressed={attempt === null} onClick={() => setAttempt(null)}>
            All attempts
          </button>
          {Array.from({ length: props.attempts }, (_, i) => i + 1).map((n) => (
            <button
              type="button"
              key={n}
              className="filter"
              aria-pressed={attempt === n}
              data-testid={`${props.testId}-attempt-${n}`}
              onClick={() => setAttempt(n)}
            >
              #{n} <span className="count">{props.logs.filter((l) => l.attempt === n).length}</span>
            </button>
          ))}
        </div>
      ) : null}
      {shown.length === 0 ? (
        <p className="muted small">No log lines{attempt === null ? '' : ` in attempt ${attempt}`}.</p>
      ) : (
        <ol className="logs">
          {shown.map((line) => (
            <li key={line.id} className={`log log-${line.level.toLowerCase()}`}>
              <time className="log-time" title={formatAbsolute(line.createdAt)} suppressHydrationWarning>
                {formatClock(line.createdAt)}
              </time>
              <span className="log-level">{line.level}</span>
              {multiAttempt ? <span className="log-attempt">#{line.attempt}</span> : null}
              <LogMessage message={line.message} />
            </li>
          ))}
        </ol>
      )}
      {props.total > props.logs.length ? (
        <p className="muted small">
          Showing the first {props.logs.length} of {props.total} lines.
        </p>
      ) : null}
    </div>
  );
}
