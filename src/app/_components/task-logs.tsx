'use client';

import { useState } from 'react';
import { formatAbsolute, formatClock, formatSize, truncateText } from './format';
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

/** A task's log lines in order, as text. `total` is how many exist (the API caps what it sends). */
export function TaskLogs(props: { logs: LogLine[]; total: number; multiAttempt: boolean; testId: string }) {
  return (
    <div className="logs-wrap" data-testid={props.testId}>
      {props.logs.length === 0 ? (
        <p className="muted small">No log lines.</p>
      ) : (
        <ol className="logs">
          {props.logs.map((line) => (
            <li key={line.id} className={`log log-${line.level.toLowerCase()}`}>
              <time className="log-time" title={formatAbsolute(line.createdAt)} suppressHydrationWarning>
                {formatClock(line.createdAt)}
              </time>
              <span className="log-level">{line.level}</span>
              {props.multiAttempt ? <span className="log-attempt">#{line.attempt}</span> : null}
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
