'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from './providers';
import styles from './runs-list.module.css';

interface Outcome {
  text: string;
  errors: Array<{ id: string; error: string }>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "N selected: Cancel / Replay" for editors; the server refuses viewers the same actions. */
export function RunBulkBar(props: { project: string; selected: string[]; onClear: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const done = (text: string, results: Array<{ id: string; ok: boolean; error?: string }>) => {
    setOutcome({ text, errors: results.flatMap((r) => (r.ok ? [] : [{ id: r.id, error: r.error ?? 'failed' }])) });
    props.onClear();
    return queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() });
  };
  const cancel = useMutation(
    trpc.runs.bulkCancel.mutationOptions({
      onSuccess: (r) => done(`Cancelled ${plural(r.cancelled, 'run')}${r.unchanged ? `; ${r.unchanged} had already finished` : ''}.`, r.results),
    }),
  );
  const replay = useMutation(
    trpc.runs.bulkReplay.mutationOptions({
      onSuccess: (r) => done(`Replayed ${plural(r.replayed, 'run')}: the new runs are marked "replay".`, r.results),
    }),
  );
  const busy = cancel.isPending || replay.isPending;
  const error = cancel.error ?? replay.error;
  const n = props.selected.length;

  return (
    <>
      {n > 0 ? (
        <div className={styles.bulkBar} data-testid="bulk-bar" role="toolbar" aria-label="Bulk actions">
          <strong>{n} selected</strong>
          <button
            type="button"
            className="button"
            data-testid="bulk-replay"
            disabled={busy}
            onClick={() => {
              if (window.confirm(`Replay ${plural(n, 'run')}? Each starts a new run of its workflow's latest version with the same input.`)) {
                replay.mutate({ project: props.project, ids: props.selected });
              }
            }}
          >
            {replay.isPending ? 'Replaying…' : 'Replay'}
          </button>
          <button
            type="button"
            className="button"
            data-testid="bulk-cancel"
            disabled={busy}
            onClick={() => {
              if (window.confirm(`Cancel ${plural(n, 'run')}? Queued tasks will not start and running tasks get their abort signal.`)) {
                cancel.mutate({ project: props.project, ids: props.selected });
              }
            }}
          >
            {cancel.isPending ? 'Cancelling…' : 'Cancel runs'}
          </button>
          <button type="button" className="link-button" onClick={props.onClear}>
            Clear selection
          </button>
        </div>
      ) : null}
      {error ? (
        <div className="error-box" role="alert">
          {error.message}
        </div>
      ) : null}
      {outcome ? (
        <div className={styles.bulkResult} role="status" data-testid="bulk-result">
          {outcome.text}{' '}
          {outcome.errors.length ? `${plural(outcome.errors.length, 'run')} failed:` : null}
          <button type="button" className="link-button" onClick={() => setOutcome(null)}>
            Dismiss
          </button>
          {outcome.errors.length ? (
            <ul className={styles.bulkErrors}>
              {outcome.errors.slice(0, 20).map((e) => (
                <li key={e.id}>
                  <span className="mono">{e.id.slice(0, 8)}…</span> {e.error}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
