'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/app/_trpc/providers';
import { MAX_BULK_RUN_ACTIONS } from '@/server/shared/limits';
import { compactFilters, type RunFilters } from './run-filters';
import styles from './runs-list.module.css';
import replayStyles from './run-replay.module.css';

interface Outcome {
  text: string;
  errors: Array<{ id: string; error: string }>;
}

/** How many runs the list's filters match (from its capped counts): `capped` when past the cap. */
export interface MatchingRuns {
  count: number;
  capped: boolean;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/**
 * "N selected: Cancel / Replay", and "Replay all matching" for the current filters, for editors;
 * the server refuses viewers the same actions.
 */
export function RunBulkBar(props: {
  project: string;
  selected: string[];
  onClear: () => void;
  filters: RunFilters;
  matching: MatchingRuns | undefined;
}) {
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
      onSuccess: (r) =>
        done(`Cancelled ${plural(r.cancelled, 'run')}${r.unchanged ? `; ${r.unchanged} had already finished` : ''}.`, r.results),
    }),
  );
  const replay = useMutation(
    trpc.runs.bulkReplay.mutationOptions({
      onSuccess: (r) => done(`Replayed ${plural(r.replayed, 'run')}: the new runs are marked "replay".`, r.results),
    }),
  );
  const replayMatching = useMutation(
    trpc.runs.bulkReplayByFilter.mutationOptions({
      onSuccess: (r) => done(`Replayed ${plural(r.replayed, 'matching run')}: the new runs are marked "replay".`, r.results),
    }),
  );
  const busy = cancel.isPending || replay.isPending || replayMatching.isPending;
  const error = cancel.error ?? replay.error ?? replayMatching.error;
  const n = props.selected.length;

  return (
    <>
      <ReplayMatching
        matching={props.matching}
        busy={busy}
        pending={replayMatching.isPending}
        onReplay={(count) => replayMatching.mutate({ project: props.project, filter: compactFilters(props.filters), confirmCount: count })}
      />
      {n > 0 ? (
        <div className={styles.bulkBar} data-testid="bulk-bar" role="toolbar" aria-label="Bulk actions">
          <strong>{n} selected</strong>
          <button
            type="button"
            className="button"
            data-testid="bulk-replay"
            disabled={busy}
            onClick={() => {
              if (
                window.confirm(`Replay ${plural(n, 'run')}? Each starts a new run of its workflow's latest version with the same input.`)
              ) {
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
        <div className="error-box" role="alert" data-testid="bulk-error">
          {error.message}
        </div>
      ) : null}
      {outcome ? (
        <div className={styles.bulkResult} role="status" data-testid="bulk-result">
          {outcome.text} {outcome.errors.length ? `${plural(outcome.errors.length, 'run')} failed:` : null}
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

/**
 * "Replay all matching (37)…": asks "Replay 37 matching runs?" with the count the list shows, and
 * sends that count; if more runs match by then, the server replays nothing and says so.
 */
function ReplayMatching(props: { matching: MatchingRuns | undefined; busy: boolean; pending: boolean; onReplay: (count: number) => void }) {
  const m = props.matching;
  const tooMany = m ? m.capped || m.count > MAX_BULK_RUN_ACTIONS : false;
  const why = !m
    ? 'Counting the matching runs…'
    : m.count === 0
      ? 'No run matches these filters'
      : tooMany
        ? `More than ${MAX_BULK_RUN_ACTIONS} runs match: narrow the filters to replay them all at once`
        : `Start a new run of each of the ${plural(m.count, 'run')} these filters match`;
  return (
    <div className={replayStyles.matchingBar}>
      <button
        type="button"
        className="button"
        data-testid="replay-matching"
        data-count={m?.count}
        title={why}
        disabled={!m || m.count === 0 || tooMany || props.busy}
        onClick={() => {
          if (!m) return;
          const question = `Replay ${plural(m.count, 'matching run')}? Each starts a new run of its workflow's latest version with the same input.`;
          if (window.confirm(question)) props.onReplay(m.count);
        }}
      >
        {props.pending
          ? 'Replaying…'
          : `Replay all matching${m ? ` (${m.capped ? `${m.count.toLocaleString('en')}+` : m.count.toLocaleString('en')})` : ''}…`}
      </button>
      {tooMany ? <span className="muted small">{why}</span> : null}
    </div>
  );
}
