'use client';

import type { PlaygroundHistoryBatch, PlaygroundVariable } from './playground-types';
import { overridesSummary } from './playground-values';
import styles from './playground.module.css';
import { StatusBadge } from '@/app/_ui/status-badge';
import { RelativeTime } from '@/app/_ui/time';

export const MODE_LABELS = { STEP: 'Run this step', FROM_HERE: 'Run from here' } as const;

interface Props {
  batches: PlaygroundHistoryBatch[] | undefined;
  error: string | null;
  variables: PlaygroundVariable[];
  currentBatchId: string | null;
  now: number;
  onOpen: (batchId: string) => void;
}

/** Every earlier playground run of this task, newest first; opening one loads its values and results. */
export function PlaygroundHistory({ batches, error, variables, currentBatchId, now, onOpen }: Props) {
  return (
    <section className={styles.history} data-testid="history" aria-label="History">
      <h2>History</h2>
      {error ? (
        <div className="error-box" role="alert">
          Could not load the history: {error}
        </div>
      ) : !batches ? (
        <p className="muted small">Loading…</p>
      ) : batches.length === 0 ? (
        <p className="muted small">No playground runs of this task yet.</p>
      ) : (
        <ol className={styles.historyList}>
          {batches.map((batch) => (
            <li key={batch.batchId}>
              <button
                type="button"
                className={styles.historyEntry}
                data-testid="history-entry"
                data-batch={batch.batchId}
                aria-current={batch.batchId === currentBatchId ? 'true' : undefined}
                aria-label={`Open the playground run of ${batch.createdAt.toISOString()} (${batch.variants.length} variant${batch.variants.length === 1 ? '' : 's'})`}
                onClick={() => onOpen(batch.batchId)}
              >
                <span className={styles.historyLine}>
                  <RelativeTime date={batch.createdAt} now={now} />
                  <span className="muted">by {batch.createdBy ?? 'unknown'}</span>
                  <span className="trigger">{MODE_LABELS[batch.mode]}</span>
                </span>
                {batch.variants.map((v) => {
                  const summary = overridesSummary(v.overrides, variables);
                  return (
                    <span key={v.variant} className={styles.historyVariant} data-testid="history-variant">
                      <span>Variant {v.variant + 1}</span>
                      <StatusBadge status={v.taskStatus ?? v.runStatus} />
                      <span className={styles.historyOverrides}>{summary.length ? summary.join(' · ') : 'the defaults'}</span>
                    </span>
                  );
                })}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
