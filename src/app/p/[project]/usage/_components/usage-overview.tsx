'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/app/_trpc/providers';
import { UsageCost } from './usage-cost';
import { formatTokens } from './usage-format';
import { USAGE_RANGES, usageRangeInput, type UsageRange } from './usage-range';
import styles from './usage.module.css';
import { projectPath, withQuery } from '@/server/shared/urls';

interface ModelTotals {
  model: string;
  calls: number;
  costUsd: number | null;
  unpricedCalls: number;
}

/** "gpt-4o-mini $0.0012", "other-model unknown price" as small chips. */
function ModelChips({ models }: { models: readonly ModelTotals[] }) {
  return (
    <span className={styles.models}>
      {models.map((m) => (
        <span key={m.model} className={styles.chip} title={`${m.calls} call(s)`}>
          {m.model} <UsageCost {...m} />
        </span>
      ))}
    </span>
  );
}

function RangePicker({ project, range, fromParam, toParam }: { project: string; range: UsageRange; fromParam: string; toParam: string }) {
  return (
    <div className={styles.toolbar}>
      <div className="filters" role="group" aria-label="Time range">
        {USAGE_RANGES.map(([key, label]) => (
          <Link
            key={key}
            href={withQuery(projectPath(project, 'usage'), { range: key })}
            className={range.key === key ? `filter ${styles.activeRange}` : 'filter'}
            aria-current={range.key === key ? 'true' : undefined}
            data-testid={`usage-range-${key}`}
          >
            {label}
          </Link>
        ))}
      </div>
      {/* A plain GET form: the range lives in the URL, so the view can be linked to. */}
      <form className={styles.custom} action={projectPath(project, 'usage')} method="get">
        <label>
          From <input type="date" name="from" defaultValue={fromParam} />
        </label>
        <label>
          to <input type="date" name="to" defaultValue={toParam} />
        </label>
        <button type="submit" className="button">
          Apply
        </button>
      </form>
    </div>
  );
}

function rangeText(range: UsageRange): string {
  if (range.key !== 'custom') return USAGE_RANGES.find(([k]) => k === range.key)![1];
  const day = (iso: string) => iso.slice(0, 10);
  const lastDay = range.to ? day(new Date(Date.parse(range.to) - 1).toISOString()) : null;
  return `${range.from ? day(range.from) : 'the beginning'} to ${lastDay ?? 'now'} (UTC)`;
}

/** The LLM usage page: totals per workflow and per task for the runs created in the chosen range. */
export function UsageOverview(props: { project: string; range: UsageRange; fromParam: string; toParam: string }) {
  const { project, range } = props;
  const trpc = useTRPC();
  // New runs keep arriving in an open-ended range; a closed one no longer changes.
  const query = useQuery(
    trpc.usage.byWorkflow.queryOptions({ project, ...usageRangeInput(range) }, { refetchInterval: range.to ? false : 5_000 }),
  );
  const data = query.data;

  return (
    <section data-testid="usage-page">
      <div className="page-title">
        <h1>LLM usage</h1>
        <span className="muted">Runs created: {rangeText(range)}</span>
      </div>
      <RangePicker {...props} />
      {query.isError ? (
        <div className="error-box" role="alert">
          Could not load usage: {query.error.message}
        </div>
      ) : !data ? (
        <p className="muted">Loading usage…</p>
      ) : data.workflows.length === 0 ? (
        <div className="empty-state" data-testid="usage-empty">
          <h2>No LLM usage in this range</h2>
          <p>
            Tasks report their model calls with <code>{"ctx.usage({ model: 'gpt-4o-mini', inputTokens, outputTokens })"}</code>; the cost is
            taken from the call or computed from the model&apos;s price.
          </p>
        </div>
      ) : (
        <>
          <dl className="meta-grid" data-testid="usage-totals">
            <div>
              <dt>Runs with usage</dt>
              <dd>{data.total.runs}</dd>
            </div>
            <div>
              <dt>Calls</dt>
              <dd>{data.total.calls}</dd>
            </div>
            <div>
              <dt>Input tokens</dt>
              <dd>{formatTokens(data.total.inputTokens)}</dd>
            </div>
            <div>
              <dt>Output tokens</dt>
              <dd>{formatTokens(data.total.outputTokens)}</dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd>
                <UsageCost {...data.total} testId="usage-total-cost" />
              </dd>
            </div>
          </dl>

          <h2 className={styles.section}>By workflow</h2>
          <table className={`runs-table ${styles.table}`} data-testid="usage-workflows">
            <thead>
              <tr>
                <th>Workflow</th>
                <th className="num">Runs</th>
                <th className="num">Calls</th>
                <th className="num">Input tokens</th>
                <th className="num">Output tokens</th>
                <th className="num">Cost</th>
                <th>By model</th>
              </tr>
            </thead>
            <tbody>
              {data.workflows.map((w) => (
                <tr key={w.workflow} data-testid={`usage-workflow-${w.workflow}`}>
                  <td>
                    <Link href={withQuery(projectPath(project), { workflow: w.workflow })}>{w.workflow}</Link>
                  </td>
                  <td className="num">{w.runs}</td>
                  <td className="num">{w.calls}</td>
                  <td className="num">{formatTokens(w.inputTokens)}</td>
                  <td className="num">{formatTokens(w.outputTokens)}</td>
                  <td className="num">
                    <UsageCost {...w} unpricedModels={w.models.filter((m) => m.unpricedCalls > 0).map((m) => m.model)} />
                  </td>
                  <td className={styles.wrapCell}>
                    <ModelChips models={w.models} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2 className={styles.section}>By task</h2>
          <table className={`runs-table ${styles.table}`} data-testid="usage-tasks">
            <thead>
              <tr>
                <th>Workflow</th>
                <th>Task</th>
                <th className="num">Runs</th>
                <th className="num">Calls</th>
                <th className="num">Input tokens</th>
                <th className="num">Output tokens</th>
                <th className="num">Cost</th>
                <th>By model</th>
              </tr>
            </thead>
            <tbody>
              {data.workflows.flatMap((w) =>
                w.tasks.map((t) => (
                  <tr key={`${w.workflow}\u0000${t.task}`} data-testid={`usage-task-${w.workflow}-${t.task}`}>
                    <td>{w.workflow}</td>
                    <td className={styles.mono}>{t.task}</td>
                    <td className="num">{t.runs}</td>
                    <td className="num">{t.calls}</td>
                    <td className="num">{formatTokens(t.inputTokens)}</td>
                    <td className="num">{formatTokens(t.outputTokens)}</td>
                    <td className="num">
                      <UsageCost {...t} unpricedModels={t.models.filter((m) => m.unpricedCalls > 0).map((m) => m.model)} />
                    </td>
                    <td className={styles.wrapCell}>
                      <ModelChips models={t.models} />
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
