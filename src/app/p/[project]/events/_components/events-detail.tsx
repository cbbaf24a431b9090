'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isTerminalRunStatus } from '@/server/shared/statuses';
import { EventRunLink, shortId } from './events-runs';
import styles from './events-view.module.css';
import { JsonView } from '@/app/_ui/json-view';
import { useTRPC } from '@/app/_trpc/providers';
import { AbsoluteTime, RelativeTime, useNow } from '@/app/_ui/time';

interface Props {
  project: string;
  id: string;
  canEdit: boolean;
  /** Opens another event (the original of a replay, a replay, the event a replay just created). */
  onOpen: (id: string) => void;
  onClose: () => void;
}

/** One event: payload, metadata, the runs it started (live until they finish), its replay links, and Replay. */
export function EventDetail({ project, id, canEdit, onOpen, onClose }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow();
  const event = useQuery(
    trpc.events.get.queryOptions(
      { project, id },
      {
        retry: (count, error) => error.data?.code !== 'NOT_FOUND' && count < 1,
        refetchInterval: (q) => {
          const data = q.state.data;
          if (q.state.status === 'error') return false;
          return !data || !data.processedAt || data.runs.some((r) => !isTerminalRunStatus(r.status)) ? 1_000 : false;
        },
      },
    ),
  );
  const replay = useMutation(
    trpc.events.replay.mutationOptions({
      onSuccess: (result) => {
        // The list gains the new event, and the original (cached, no longer polling) gains a replay.
        void queryClient.invalidateQueries({ queryKey: trpc.events.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ project, id }) });
        onOpen(result.eventId);
      },
    }),
  );

  const data = event.data;
  return (
    <aside className={`panel ${styles.detail}`} data-testid="event-detail" data-event-id={id} aria-label="Event detail">
      <div className={styles.detailHead}>
        <h2 data-testid="event-detail-key">{data?.key ?? 'Event'}</h2>
        <button type="button" className={`link-button ${styles.close}`} onClick={onClose} data-testid="event-detail-close">
          Close
        </button>
      </div>

      {event.isError ? (
        <div className="error-box" role="alert" data-testid="event-detail-error">
          {event.error.data?.code === 'NOT_FOUND'
            ? `Event ${id} was not found in this project.`
            : `Could not load the event: ${event.error.message}`}
        </div>
      ) : null}
      {!data && !event.isError ? <p className="muted">Loading event…</p> : null}

      {data ? (
        <>
          <dl className="meta-grid compact">
            <div>
              <dt>Id</dt>
              <dd className="mono small">{data.id}</dd>
            </div>
            <div>
              <dt>Received</dt>
              <dd>
                <RelativeTime date={data.createdAt} now={now} />
              </dd>
            </div>
            <div>
              <dt>Runs started</dt>
              <dd>{data.processedAt ? <AbsoluteTime date={data.processedAt} /> : <span className="muted">pending…</span>}</dd>
            </div>
            {data.replayOfId ? (
              <div>
                <dt>Replay of</dt>
                <dd>
                  <button
                    type="button"
                    className="link-button mono"
                    data-testid="event-detail-replay-of"
                    onClick={() => onOpen(data.replayOfId!)}
                  >
                    {shortId(data.replayOfId)}
                  </button>
                </dd>
              </div>
            ) : null}
          </dl>

          {canEdit ? (
            <div>
              <button
                type="button"
                className="button"
                data-testid="event-replay"
                disabled={replay.isPending}
                title="Push this event again as a new event; the workflows that match it now start new runs"
                onClick={() => replay.mutate({ project, id })}
              >
                {replay.isPending ? 'Replaying…' : 'Replay event'}
              </button>
              {replay.isError ? (
                <div className="error-box" role="alert">
                  Replay failed: {replay.error.message}
                </div>
              ) : null}
            </div>
          ) : null}

          <div>
            <h4>Runs</h4>
            {data.runs.length === 0 ? (
              <p className="muted small" data-testid="event-detail-no-runs">
                {data.processedAt ? 'No workflow matched this key when it arrived.' : 'Starting the matching workflows…'}
              </p>
            ) : (
              <ul className={styles.runList} data-testid="event-detail-runs">
                {data.runs.map((run) => (
                  <li key={run.id}>
                    <EventRunLink project={project} run={run} />
                    <span className="mono muted small">{shortId(run.id)}</span>
                    <RelativeTime date={run.createdAt} now={now} />
                  </li>
                ))}
              </ul>
            )}
          </div>

          {data.replays.length > 0 ? (
            <div>
              <h4>Replays</h4>
              <ul className={styles.runList} data-testid="event-detail-replays">
                {data.replays.map((r) => (
                  <li key={r.id}>
                    <button
                      type="button"
                      className="link-button mono"
                      data-testid={`event-detail-replay-${r.id}`}
                      onClick={() => onOpen(r.id)}
                    >
                      {shortId(r.id)}
                    </button>
                    <RelativeTime date={r.createdAt} now={now} />
                  </li>
                ))}
              </ul>
            </div>
          ) : null}

          <div>
            <h4>Payload</h4>
            <JsonView value={data.payload} testId="event-detail-payload" />
          </div>
          {Object.keys(data.additionalMetadata).length > 0 ? (
            <div>
              <h4>Metadata</h4>
              <JsonView value={data.additionalMetadata} testId="event-detail-metadata" />
            </div>
          ) : null}
        </>
      ) : null}
    </aside>
  );
}
