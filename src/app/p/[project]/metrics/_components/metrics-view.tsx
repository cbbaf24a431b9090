'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';
import type { RouterOutputs } from '@/app/_trpc/types';
import { METRICS_RANGES, RANGE_SPECS } from '@/server/metrics/range';
import { formatDuration } from '@/app/_ui/format';
import { DurationChart, FailureRateChart, RunsPerMinuteChart } from './metrics-charts';
import { metricsInput, metricsQueryString, parseMetricsFilters, type MetricsFilters } from './metrics-filters';
import { useTRPC } from '@/app/_trpc/providers';
import styles from './metrics-view.module.css';

type Overview = RouterOutputs['metrics']['overview'];

/** Aggregates over a range: refreshed every few seconds, not every second (they do not tick like a list). */
const REFRESH_MS: Record<MetricsFilters['range'], number> = { '1h': 5_000, '24h': 15_000, '7d': 60_000 };

function setFilters(filters: MetricsFilters) {
  window.history.replaceState(null, '', `${window.location.pathname}${metricsQueryString(filters)}`);
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

function Stat(props: { label: string; value: string; raw: number | null; testId: string; sub?: ReactNode }) {
  return (
    <div className={styles.stat} data-testid={props.testId} data-value={props.raw ?? ''}>
      <div className={styles.statLabel}>{props.label}</div>
      <div className={styles.statValue}>{props.value}</div>
      {props.sub ? <div className="muted small">{props.sub}</div> : null}
    </div>
  );
}

function Summary({ data }: { data: Overview }) {
  const s = data.summary;
  const minutes = (data.to.getTime() - data.from.getTime()) / 60_000;
  const open = s.runs - s.succeeded - s.failed - s.cancelled;
  return (
    <div className={styles.stats} data-testid="metrics-summary">
      <Stat
        label="Runs"
        value={String(s.runs)}
        raw={s.runs}
        testId="metrics-runs"
        sub={`${(s.runs / minutes).toFixed(2)} / min on average`}
      />
      <Stat
        label="Failure rate"
        value={percent(s.failureRate)}
        raw={s.failureRate}
        testId="metrics-failure-rate"
        sub={`${s.failed} failed · ${s.succeeded} succeeded${s.cancelled ? ` · ${s.cancelled} cancelled` : ''}${open ? ` · ${open} open` : ''}`}
      />
      <Stat label="p50 duration" value={formatDuration(s.p50Ms)} raw={s.p50Ms} testId="metrics-p50" />
      <Stat label="p95 duration" value={formatDuration(s.p95Ms)} raw={s.p95Ms} testId="metrics-p95" />
    </div>
  );
}

function Breakdown({ data, filters }: { data: Overview; filters: MetricsFilters }) {
  const byTask = Boolean(data.workflow);
  const pick = (name: string) => setFilters(byTask ? { ...filters, task: name } : { range: filters.range, workflow: name });
  if (data.breakdown.length === 0) return <p className="muted">No {byTask ? 'task runs' : 'runs'} in this range.</p>;
  return (
    <table className={`runs-table ${styles.table}`} data-testid="metrics-breakdown">
      <thead>
        <tr>
          <th>{byTask ? 'Task' : 'Workflow'}</th>
          <th className="num">Runs</th>
          <th className="num">Failed</th>
          <th className="num">Failure rate</th>
          <th className="num">p50</th>
          <th className="num">p95</th>
        </tr>
      </thead>
      <tbody>
        {data.breakdown.map((row) => (
          <tr key={row.name} data-testid={`metrics-row-${row.name}`} aria-selected={byTask ? row.name === data.task : undefined}>
            <td>
              <button type="button" className="link-button" style={{ fontSize: 'inherit', fontWeight: 600 }} onClick={() => pick(row.name)}>
                {row.name}
              </button>
            </td>
            <td className="num">{row.runs}</td>
            <td className="num">{row.failed}</td>
            <td className="num" data-testid="metrics-row-failure-rate">
              {percent(row.failureRate)}
            </td>
            <td className="num">{formatDuration(row.p50Ms)}</td>
            <td className="num">{formatDuration(row.p95Ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChartPanel({ title, hint, testId, children }: { title: string; hint: string; testId: string; children: ReactNode }) {
  return (
    <div className={styles.chart} data-testid={testId}>
      <div className={styles.chartHead}>
        <h3>{title}</h3>
        <span className="muted small">{hint}</span>
      </div>
      {children}
    </div>
  );
}

function Toolbar({ data, filters }: { data: Overview | undefined; filters: MetricsFilters }) {
  return (
    <div className="toolbar">
      <div className="filters" role="group" aria-label="Time range">
        {METRICS_RANGES.map((r) => (
          <button
            key={r}
            type="button"
            className="filter"
            aria-pressed={filters.range === r}
            data-testid={`range-${r}`}
            onClick={() => setFilters({ ...filters, range: r })}
          >
            {RANGE_SPECS[r].label}
          </button>
        ))}
      </div>
      <div className={styles.selects}>
        <label className="workflow-filter">
          <span className="muted">Workflow</span>
          <select
            value={filters.workflow ?? ''}
            data-testid="metrics-workflow"
            onChange={(e) => setFilters({ range: filters.range, workflow: e.target.value || undefined })}
          >
            <option value="">All workflows</option>
            {(data?.workflows ?? (filters.workflow ? [filters.workflow] : [])).map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
        {filters.workflow ? (
          <label className="workflow-filter">
            <span className="muted">Task</span>
            <select
              value={filters.task ?? ''}
              data-testid="metrics-task"
              onChange={(e) => setFilters({ ...filters, task: e.target.value || undefined })}
            >
              <option value="">Whole workflow</option>
              {(data?.tasks ?? []).map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
    </div>
  );
}

/** Runs per minute, failure rate and p50/p95 durations over 1 h / 24 h / 7 d, for the project, a workflow, or one of its tasks. */
export function MetricsView({ project }: { project: string }) {
  const trpc = useTRPC();
  const filters = parseMetricsFilters(useSearchParams());
  const query = useQuery(
    trpc.metrics.overview.queryOptions(metricsInput(project, filters), {
      refetchInterval: REFRESH_MS[filters.range],
      placeholderData: keepPreviousData,
    }),
  );
  const data = query.data;
  const scope = filters.task
    ? `task ${filters.task} of ${filters.workflow}`
    : filters.workflow
      ? `workflow ${filters.workflow}`
      : 'all workflows';
  const withDate = filters.range === '7d';

  return (
    <section data-testid="metrics-page">
      <div className="page-title">
        <h1>Metrics</h1>
        <span
          className={query.isError ? 'live-indicator stale' : 'live-indicator'}
          title={`Refreshes every ${REFRESH_MS[filters.range] / 1000} s`}
        >
          {query.isError ? 'Reconnecting…' : 'Live'}
        </span>
        <span className="muted small" data-testid="metrics-scope">
          {scope} · {RANGE_SPECS[filters.range].label.toLowerCase()} · {RANGE_SPECS[filters.range].bucketLabel} buckets
        </span>
      </div>
      <Toolbar data={data} filters={filters} />
      {query.isError && !data ? (
        <div className="error-box" role="alert">
          Could not load metrics: {query.error.message}
        </div>
      ) : null}
      {!data && !query.isError ? <p className="muted">Loading metrics…</p> : null}
      {data?.unknownWorkflow ? (
        <div className="error-box" role="alert">
          No workflow named “{filters.workflow}” in this project.{' '}
          <button type="button" className="link-button" onClick={() => setFilters({ range: filters.range })}>
            Show all workflows
          </button>
        </div>
      ) : null}
      {data ? (
        <>
          <Summary data={data} />
          <div className={styles.charts}>
            <ChartPanel title="Runs per minute" hint={`average over each ${data.bucketLabel} bucket, by outcome`} testId="chart-runs">
              <RunsPerMinuteChart points={data.series} bucketMs={data.bucketMs} withDate={withDate} />
            </ChartPanel>
            <ChartPanel title="Failure rate" hint="failed ÷ (succeeded + failed)" testId="chart-failure-rate">
              <FailureRateChart points={data.series} bucketMs={data.bucketMs} withDate={withDate} />
            </ChartPanel>
            <ChartPanel title="Duration" hint="p50 and p95, start to finish, of runs that succeeded or failed" testId="chart-duration">
              <DurationChart points={data.series} bucketMs={data.bucketMs} withDate={withDate} />
            </ChartPanel>
          </div>
          <h2 className="section-title">{data.workflow ? `Tasks of ${data.workflow}` : 'By workflow'}</h2>
          <Breakdown data={data} filters={filters} />
        </>
      ) : null}
    </section>
  );
}
