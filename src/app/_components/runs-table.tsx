'use client';

import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { RUN_STATUSES } from '@/server/routers/run-view';
import { useTRPC } from './providers';
import { parseRunFilters, runFiltersQuery, runListInput, type RunFilters } from './run-filters';
import { StatusBadge, statusLabel } from './status-badge';
import { Duration, RelativeTime, useNow } from './time';

/** Filters live in the URL (shareable, survives reloads); updating it needs no server round trip. */
function setFilters(filters: RunFilters) {
  window.history.replaceState(null, '', `${window.location.pathname}${runFiltersQuery(filters)}`);
}

function EmptyState({ filtered }: { filtered: boolean }) {
  if (filtered) {
    return (
      <div className="empty-state" data-testid="runs-empty">
        <p>No runs match this filter.</p>
        <button type="button" className="link-button" onClick={() => setFilters({})}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div className="empty-state" data-testid="runs-empty">
      <h2>No runs yet</h2>
      <p>Runs show up here as soon as a workflow is triggered. To try it with the demo workflows, start everything (server, engine and a demo worker) with:</p>
      <pre className="command">npm start</pre>
      <p className="muted">
        With your own code, start a worker with the SDK (<code>await ws.worker(&apos;my-worker&apos;, {'{ workflows }'}).start()</code>) and trigger a run
        (<code>workflow.run(input)</code> or <code>ws.events.push(…)</code>). This page refreshes every second.
      </p>
    </div>
  );
}

export function RunsTable({ project }: { project: string }) {
  const trpc = useTRPC();
  const filters = parseRunFilters(useSearchParams());
  const now = useNow();
  const query = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions({ project, ...runListInput(filters) }, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      refetchInterval: 1_000,
      placeholderData: keepPreviousData,
    }),
  );

  const first = query.data?.pages[0];
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(filters.status || filters.workflow);

  return (
    <section>
      <div className="page-title">
        <h1>Runs</h1>
        <span className={query.isError ? 'live-indicator stale' : 'live-indicator'} title="Refreshes every second">
          {query.isError ? 'Reconnecting…' : 'Live'}
        </span>
      </div>

      <div className="toolbar">
        <div className="filters" role="group" aria-label="Filter by status">
          <button
            type="button"
            className="filter"
            aria-pressed={!filters.status}
            data-testid="filter-ALL"
            onClick={() => setFilters({ ...filters, status: undefined })}
          >
            All <span className="count">{first?.total ?? 0}</span>
          </button>
          {RUN_STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className="filter"
              aria-pressed={filters.status === s}
              data-testid={`filter-${s}`}
              onClick={() => setFilters({ ...filters, status: s })}
            >
              <span className={`dot status-${s.toLowerCase()}`} aria-hidden />
              {statusLabel(s)} <span className="count">{first?.counts[s] ?? 0}</span>
            </button>
          ))}
        </div>
        {first && (first.workflows.length > 1 || filters.workflow) ? (
          <label className="workflow-filter">
            <span className="muted">Workflow</span>
            <select
              value={filters.workflow ?? ''}
              onChange={(e) => setFilters({ ...filters, workflow: e.target.value || undefined })}
            >
              <option value="">All workflows</option>
              {first.workflows.map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>

      {query.isError && !query.data ? (
        <div className="error-box" role="alert">
          Could not load runs: {query.error.message}
        </div>
      ) : null}

      {query.data && items.length === 0 ? (
        <EmptyState filtered={filtered} />
      ) : (
        <table className="runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th>Workflow</th>
              <th>Status</th>
              <th>Created</th>
              <th className="num">Duration</th>
              <th>Trigger</th>
            </tr>
          </thead>
          <tbody>
            {items.map((run) => (
              <tr key={run.id} data-testid={`run-${run.id}`} data-status={run.status}>
                <td>
                  <Link href={`/p/${project}/runs/${run.id}`} className="row-link">
                    {run.workflowName}
                  </Link>
                  <div className="mono muted small">{run.id.slice(0, 8)}…{run.id.slice(-4)}</div>
                </td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>
                  <RelativeTime date={run.createdAt} now={now} />
                </td>
                <td className="num">
                  <Duration startedAt={run.startedAt} finishedAt={run.finishedAt} now={now} />
                </td>
                <td>
                  <span className="trigger">{run.triggerSource.toLowerCase()}</span>
                </td>
              </tr>
            ))}
            {!query.data && !query.isError ? (
              <tr>
                <td colSpan={5} className="muted">
                  Loading runs…
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      )}

      {query.hasNextPage ? (
        <div className="load-more">
          <button type="button" className="button" disabled={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
            {query.isFetchingNextPage ? 'Loading…' : 'Load older runs'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
