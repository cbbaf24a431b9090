'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { EVENT_KEY_MAX_LENGTH } from '@whetstone/sdk/contract';
import { EventDetail } from './events-detail';
import { eventFiltersQuery, eventListInput, parseEventFilters, type EventFilters, type KeyMatch } from './events-filters';
import { EventRunLink, shortId } from './events-runs';
import styles from './events-view.module.css';
import { LoadMore } from '@/app/_ui/load-more';
import { useTRPC } from '@/app/_trpc/providers';
import { RelativeTime, useNow } from '@/app/_ui/time';

/** Filters live in the URL; opening an event pushes a history entry so Back closes it. */
function setFilters(filters: EventFilters, mode: 'push' | 'replace' = 'replace') {
  const url = `${window.location.pathname}${eventFiltersQuery(filters)}`;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

function KeyFilter({ filters }: { filters: EventFilters }) {
  const [key, setKey] = useState(filters.key ?? '');
  const [match, setMatch] = useState<KeyMatch>(filters.match);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = key.trim();
    setFilters({ key: trimmed || undefined, match, id: filters.id });
  };
  return (
    <form className={styles.filterForm} onSubmit={apply} role="search" aria-label="Filter events by key">
      <span className="muted">Key</span>
      <select aria-label="Key match" data-testid="events-key-match" value={match} onChange={(e) => setMatch(e.target.value as KeyMatch)}>
        <option value="exact">is</option>
        <option value="prefix">starts with</option>
      </select>
      <input
        type="text"
        data-testid="events-key-filter"
        placeholder="ticket:created"
        value={key}
        maxLength={EVENT_KEY_MAX_LENGTH}
        onChange={(e) => setKey(e.target.value)}
      />
      <button type="submit" className="button" data-testid="events-key-apply">
        Filter
      </button>
      {filters.key ? (
        <button
          type="button"
          className="link-button"
          data-testid="events-key-clear"
          onClick={() => {
            setKey('');
            setFilters({ match: 'exact', id: filters.id });
          }}
        >
          Clear
        </button>
      ) : null}
    </form>
  );
}

function EmptyState({ filtered }: { filtered: boolean }) {
  return (
    <div className="empty-state" data-testid="events-empty">
      {filtered ? (
        <p>No events match this key.</p>
      ) : (
        <>
          <h2>No events yet</h2>
          <p>Events appear here when your application pushes them; each starts the workflows whose triggers match its key:</p>
          <pre className="command">await ws.events.push(&apos;ticket:created&apos;, {"{ ticketId: 't-1' }"})</pre>
          <p className="muted">
            Declare the trigger on a workflow with <code>on: {"{ event: 'ticket:*' }"}</code>. This page refreshes every second.
          </p>
        </>
      )}
    </div>
  );
}

/** The Events page: the project's events (newest first), a key filter, bulk replay, and the open event's detail. */
export function EventsView({ project, canEdit }: { project: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const filters = parseEventFilters(useSearchParams());
  const now = useNow();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);

  const query = useInfiniteQuery(
    trpc.events.list.infiniteQueryOptions(
      { project, ...eventListInput(filters) },
      {
        getNextPageParam: (last) => last.nextCursor ?? undefined,
        // Live while the newest page is all there is; older pages hold still while being read.
        refetchInterval: (q) => ((q.state.data?.pages.length ?? 1) > 1 ? false : 1_000),
        placeholderData: keepPreviousData,
      },
    ),
  );
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const live = (query.data?.pages.length ?? 1) <= 1;

  const bulkReplay = useMutation(
    trpc.events.bulkReplay.mutationOptions({
      onSuccess: (result) => {
        setSelected(new Set());
        const runs = result.results.reduce((n, r) => n + (r.ok ? r.runIds.length : 0), 0);
        setNotice(
          `Replayed ${result.replayed} ${result.replayed === 1 ? 'event' : 'events'} (${runs} new ${runs === 1 ? 'run' : 'runs'})` +
            (result.failed ? `; ${result.failed} failed: ${result.results.find((r) => !r.ok && 'error' in r)?.error ?? ''}` : ''),
        );
        void queryClient.invalidateQueries({ queryKey: trpc.events.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.events.get.pathKey() });
      },
    }),
  );

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allShown = items.length > 0 && items.every((e) => selected.has(e.id));

  return (
    <section data-testid="events-page">
      <div className="page-title">
        <h1>Events</h1>
        <span className={query.isError || !live ? 'live-indicator stale' : 'live-indicator'} title="The newest page refreshes every second">
          {query.isError ? 'Reconnecting…' : live ? 'Live' : 'Paused while older events are shown'}
        </span>
      </div>

      <div className="toolbar">
        <KeyFilter key={`${filters.key ?? ''}|${filters.match}`} filters={filters} />
        {canEdit ? (
          <div className={styles.bulkBar}>
            <span className="muted" data-testid="events-selected-count">
              {selected.size} selected
            </span>
            <button
              type="button"
              className="button"
              data-testid="events-bulk-replay"
              disabled={selected.size === 0 || bulkReplay.isPending}
              onClick={() => bulkReplay.mutate({ project, ids: [...selected] })}
            >
              {bulkReplay.isPending ? 'Replaying…' : 'Replay selected'}
            </button>
          </div>
        ) : null}
      </div>

      {notice ? (
        <div className={styles.notice} role="status" data-testid="events-notice">
          {notice}{' '}
          <button type="button" className="link-button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      {bulkReplay.isError ? (
        <div className="error-box" role="alert">
          Replay failed: {bulkReplay.error.message}
        </div>
      ) : null}
      {query.isError && !query.data ? (
        <div className="error-box" role="alert">
          Could not load events: {query.error.message}
        </div>
      ) : null}

      <div className={`${styles.layout} ${filters.id ? styles.withDetail : ''}`}>
        <div>
          {query.data && items.length === 0 ? (
            <EmptyState filtered={Boolean(filters.key)} />
          ) : (
            <table className={`runs-table ${styles.table}`} data-testid="events-table">
              <thead>
                <tr>
                  {canEdit ? (
                    <th className={styles.checkbox}>
                      <input
                        type="checkbox"
                        aria-label="Select all shown events"
                        checked={allShown}
                        onChange={() => setSelected(allShown ? new Set() : new Set(items.map((e) => e.id)))}
                      />
                    </th>
                  ) : null}
                  <th>Key</th>
                  <th>Received</th>
                  <th>Runs</th>
                </tr>
              </thead>
              <tbody>
                {items.map((event) => (
                  <tr
                    key={event.id}
                    data-testid={`event-${event.id}`}
                    data-key={event.key}
                    className={filters.id === event.id ? styles.selected : undefined}
                    aria-selected={filters.id === event.id}
                  >
                    {canEdit ? (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Select event ${event.key}`}
                          data-testid={`event-select-${event.id}`}
                          checked={selected.has(event.id)}
                          onChange={() => toggle(event.id)}
                        />
                      </td>
                    ) : null}
                    <td>
                      <button
                        type="button"
                        className={styles.keyButton}
                        data-testid={`event-open-${event.id}`}
                        onClick={() => setFilters({ ...filters, id: event.id }, 'push')}
                      >
                        {event.key}
                      </button>
                      <span className={styles.preview} title="Payload (open the event to see all of it)">
                        {event.payloadPreview.text}
                        {event.payloadPreview.truncated ? '…' : ''}
                      </span>
                      {event.replayOfId ? (
                        <button
                          type="button"
                          className="link-button"
                          data-testid={`event-replay-of-${event.id}`}
                          onClick={() => setFilters({ ...filters, id: event.replayOfId ?? undefined }, 'push')}
                        >
                          replay of {shortId(event.replayOfId)}
                        </button>
                      ) : null}
                    </td>
                    <td>
                      <RelativeTime date={event.createdAt} now={now} />
                    </td>
                    <td>
                      <div className={styles.runs}>
                        {event.runs.map((run) => (
                          <EventRunLink key={run.id} project={project} run={run} />
                        ))}
                        {event.runCount > event.runs.length ? (
                          <span className="muted small">+{event.runCount - event.runs.length} more</span>
                        ) : null}
                        {event.runCount === 0 ? (
                          <span className="muted small">{event.processedAt ? 'no matching workflow' : 'starting…'}</span>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
                {!query.data && !query.isError ? (
                  <tr>
                    <td colSpan={canEdit ? 4 : 3} className="muted">
                      Loading events…
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          )}
          <LoadMore query={query} label="Load older events" />
        </div>

        {filters.id ? (
          <EventDetail
            key={filters.id}
            project={project}
            id={filters.id}
            canEdit={canEdit}
            onOpen={(id) => setFilters({ ...filters, id }, 'push')}
            onClose={() => setFilters({ ...filters, id: undefined }, 'push')}
          />
        ) : null}
      </div>
    </section>
  );
}
