'use client';

import { useMemo } from 'react';
import { formatAbsolute, formatClock, formatDuration } from '@/app/_ui/format';
import { JsonView, TextBlock } from '@/app/_ui/json-view';
import { outputDiff } from './playground-diff';
import type { PlaygroundTaskResult } from './playground-types';
import { fromOfflineModel } from './playground-values';
import styles from './playground.module.css';
import { formatTokens, formatUsd } from '@/app/p/[project]/usage/_components/usage-format';
import { isTerminalTaskStatus } from '@/server/shared/statuses';

/** A variant's result (or the source task's): what a re-run is judged on. */
export type ResultData = Pick<PlaygroundTaskResult, 'status' | 'output' | 'error' | 'durationMs' | 'usage' | 'logs' | 'attempts'>;

export function OfflineBadge() {
  return (
    <span
      className={`${styles.tag} ${styles.offline}`}
      data-testid="offline-badge"
      title="Written by the demo's offline model, not a real LLM"
    >
      offline demo model
    </span>
  );
}

/** Output, error, duration, usage and logs of one task run. */
export function TaskResult({ result }: { result: ResultData }) {
  const finished = isTerminalTaskStatus(result.status);
  return (
    <div className={styles.result}>
      <div className={styles.resultHead}>
        <span className={styles.label}>Output</span>
        {fromOfflineModel(result.output) ? <OfflineBadge /> : null}
        <span className={`${styles.push} muted`} data-testid="duration">
          {formatDuration(result.durationMs)}
        </span>
      </div>
      <JsonView value={result.output} testId="output" empty={finished ? 'No output' : 'Not finished yet'} />
      {result.error ? <TextBlock text={result.error} className="error-text" testId="error" /> : null}
      <Usage usage={result.usage} />
      <Logs logs={result.logs} />
    </div>
  );
}

function Usage({ usage }: { usage: ResultData['usage'] }) {
  if (!usage.models.length && !usage.inputTokens && !usage.outputTokens) return null;
  return (
    <div className={styles.usage} data-testid="usage">
      <span>
        {formatTokens(usage.inputTokens)} in / {formatTokens(usage.outputTokens)} out tokens
      </span>
      <span>{usage.costUsd === null ? 'no price' : formatUsd(usage.costUsd)}</span>
      {usage.models.length ? <span className="mono">{usage.models.join(', ')}</span> : null}
    </div>
  );
}

function Logs({ logs }: { logs: ResultData['logs'] }) {
  return (
    <details className={styles.logs} data-testid="logs">
      <summary>Logs ({logs.length})</summary>
      {logs.length === 0 ? (
        <p className="muted small">No log lines.</p>
      ) : (
        <ol className="logs">
          {logs.map((line) => (
            <li key={line.id} className={`log log-${line.level.toLowerCase()}`}>
              <time className="log-time" title={formatAbsolute(line.createdAt)} suppressHydrationWarning>
                {formatClock(line.createdAt)}
              </time>
              <span className="log-level">{line.level}</span>
              <span className="log-msg">{line.message}</span>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

/** The variant's output against the source's, word by word: inserted words in <ins>, deleted ones in <del> (text nodes only). */
export function OutputDiffView({ before, after }: { before: unknown; after: unknown }) {
  const diff = useMemo(() => outputDiff(before, after), [before, after]);
  if (diff.kind === 'too-large') {
    return (
      <p className={styles.empty} data-testid="diff">
        The outputs are too large to compare here.
      </p>
    );
  }
  const same = diff.added === 0 && diff.removed === 0 && diff.parts.every((p) => p.kind === 'same');
  return (
    <div className={styles.result}>
      <div className={styles.diffHead}>
        <span className={styles.label}>Changes from the source output</span>
        <span data-testid="diff-summary">{same ? 'identical' : `+${diff.added} / −${diff.removed} words`}</span>
      </div>
      <pre className={styles.diff} data-testid="diff" aria-label="Word diff against the source output">
        {diff.parts.map((part, i) =>
          part.kind === 'added' ? (
            <ins key={i}>{part.text}</ins>
          ) : part.kind === 'removed' ? (
            <del key={i}>{part.text}</del>
          ) : (
            <span key={i}>{part.text}</span>
          ),
        )}
      </pre>
    </div>
  );
}
