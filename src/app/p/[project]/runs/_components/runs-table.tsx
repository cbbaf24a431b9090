'use client';

import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { isUnfinishedRunStatus } from '@/server/shared/statuses';
import { LoadMore } from '@/app/_ui/load-more';
import { useTRPC } from '@/app/_trpc/providers';
import { RunBulkBar, type MatchingRuns } from './run-bulk-bar';
import { RunFilterBar } from './run-filter-bar';
import { isFiltered, parseRunFilters, runFiltersQuery, runListInput, type RunFilters } from './run-filters';
import { RunRow } from './run-row';
import styles from './runs-list.module.css';
import { useNow } from '@/app/_ui/time';

/** Each filter change is a history entry: a link reproduces the view, back/forward step through filters. */
function navigate(filters: RunFilters) {
  window.history.pushState(null, '', `${window.location.pathname}${runFiltersQuery(filters)}`);
}

/** First page only: 1 s while a run on it can still change, else 2 s (new runs appear on top). */
const FAST_POLL_MS = 1_000;
const SLOW_POLL_MS = 2_000;

function EmptyState({ filtered }: { filtered: boolean }) {
  if (filtered) {
    return (
      <div className="empty-state" data-testid="runs-empty">
        <p>No runs match these filters.</p>
        <button type="button" className="link-button" onClick={() => navigate({})}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div className="empty-state" data-testid="runs-empty">
      <h2>No runs yet</h2>
      <p>
        Runs show up here as soon as a workflow is triggered. To try it with the demo workflows, start everything (server, engine and a demo
        worker) with:
      </p>
      <pre className="command">npm start</pre>
      <p className="muted">
        With your own code, start a worker with the SDK (<code>await ws.worker(&apos;my-worker&apos;, {'{ workflows }'}).start()</code>) and
        trigger a run (<code>workflow.run(input)</code> or <code>ws.events.push(…)</code>). This page refreshes every second.
      </p>
    </div>
  );
}

export function RunsTable({ project }: { project: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const searchParams = useSearchParams();
  const filters = useMemo(() => parseRunFilters(searchParams), [searchParams]);
  const now = useNow();
  const info = useQuery(trpc.system.info.queryOptions({ project }));
  const canEdit = info.data?.role === 'OWNER' || info.data?.role === 'EDITOR';
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const listOptions = trpc.runs.list.infiniteQueryOptions(
    { project, ...runListInput(filters) },
    {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      placeholderData: keepPreviousData,
      refetchInterval: (query) => {
        const pages = query.state.data?.pages;
        if (!pages || pages.length !== 1) return false;
        return pages[0]!.items.some((r) => isUnfinishedRunStatus(r.status)) ? FAST_POLL_MS : SLOW_POLL_MS;
      },
    },
  );
  const query = useInfiniteQuery(listOptions);

  const first = query.data?.pages[0];
  // What "Replay all matching" offers: the first page's count for these filters (not a previous view's while loading).
  const matching: MatchingRuns | undefined =
    first && !query.isPlaceholderData
      ? filters.status
        ? { count: first.counts[filters.status], capped: first.capped.includes(filters.status) }
        : { count: first.total, capped: first.capped.length > 0 }
      : undefined;
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const olderShown = (query.data?.pages.length ?? 0) > 1;
  const visibleIds = items.map((r) => r.id);
  const selectedVisible = visibleIds.filter((id) => selected.has(id));
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const setFilters = (next: RunFilters) => {
    setSelected(new Set());
    navigate(next);
  };
  const backToNewest = () =>
    queryClient.setQueryData(listOptions.queryKey, (data) =>
      data ? { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) } : data,
    );

  return (
    <section>
      <div className="page-title">
        <h1>Runs</h1>
        {olderShown ? (
          <span className={styles.paused}>
            Live updates paused while older runs are shown ·{' '}
            <button type="button" className="link-button" onClick={backToNewest}>
              back to newest
            </button>
          </span>
        ) : (
          <span className={query.isError ? 'live-indicator stale' : 'live-indicator'} title="The first page refreshes every 1–2 seconds">
            {query.isError ? 'Reconnecting…' : 'Live'}
          </span>
        )}
      </div>

      <RunFilterBar
        filters={filters}
        onChange={setFilters}
        counts={first ? { counts: first.counts, capped: first.capped, total: first.total } : undefined}
        workflows={first?.workflows ?? []}
      />

      {canEdit ? (
        <RunBulkBar
          project={project}
          selected={selectedVisible}
          onClear={() => setSelected(new Set())}
          filters={filters}
          matching={matching}
        />
      ) : null}

      {query.isError && !query.data ? (
        <div className="error-box" role="alert">
          Could not load runs: {query.error.message}
        </div>
      ) : null}

      {query.data && items.length === 0 ? (
        <EmptyState filtered={isFiltered(filters)} />
      ) : (
        <table className="runs-table" data-testid="runs-table">
          <thead>
            <tr>
              {canEdit ? (
                <th className={styles.selectCell}>
                  <input
                    type="checkbox"
                    aria-label="Select all shown runs"
                    data-testid="select-all"
                    checked={items.length > 0 && selectedVisible.length === items.length}
                    onChange={(e) => setSelected(e.target.checked ? new Set(visibleIds) : new Set())}
                  />
                </th>
              ) : null}
              <th>Workflow</th>
              <th>Status</th>
              <th>Metadata</th>
              <th>Created</th>
              <th className="num">Duration</th>
              <th>Trigger</th>
            </tr>
          </thead>
          <tbody>
            {items.map((run) => (
              <RunRow
                key={run.id}
                run={run}
                project={project}
                now={now}
                selection={canEdit ? { selected: selected.has(run.id), toggle: () => toggle(run.id) } : undefined}
                onMetadataClick={(key, value) => setFilters({ ...filters, meta: { ...filters.meta, [key]: value } })}
              />
            ))}
            {!query.data && !query.isError ? (
              <tr>
                <td colSpan={canEdit ? 7 : 6} className="muted">
                  Loading runs…
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      )}

      <LoadMore query={query} label="Load older runs" />
    </section>
  );
}
