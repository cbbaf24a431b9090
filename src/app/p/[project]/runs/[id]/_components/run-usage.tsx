'use client';

import { useQuery } from '@tanstack/react-query';
import { Fragment } from 'react';
import { useTRPC } from '@/app/_trpc/providers';
import { UsageCost } from '@/app/p/[project]/usage/_components/usage-cost';
import { formatTokens } from '@/app/p/[project]/usage/_components/usage-format';
import styles from '@/app/p/[project]/usage/_components/usage.module.css';
import { taskAnchor } from '@/server/shared/urls';

/** LLM usage of a run: per task (with a line per model when a task used several) and in total. Nothing when the run reported none. */
export function RunUsage({ project, runId }: { project: string; runId: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.usage.forRun.queryOptions(
      { project, runId },
      // Reports keep arriving until the run is over.
      { refetchInterval: (q) => (q.state.status === 'error' ? 5_000 : q.state.data?.finished ? false : 1_000) },
    ),
  );
  const usage = query.data;
  if (!usage || usage.tasks.length === 0) return null;
  const { total } = usage;

  return (
    <section className={`panel ${styles.panel}`} data-testid="run-usage">
      <div className={styles.heading}>
        <h2>LLM usage</h2>
        <span className="muted small">
          {total.calls} {total.calls === 1 ? 'call' : 'calls'} · {total.models.map((m) => m.model).join(', ')}
        </span>
      </div>
      <table className={`runs-table ${styles.table}`}>
        <thead>
          <tr>
            <th>Task</th>
            <th>Model</th>
            <th className="num">Calls</th>
            <th className="num">Input tokens</th>
            <th className="num">Output tokens</th>
            <th className="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {usage.tasks.map((task) => {
            const single = task.models.length === 1 ? task.models[0] : undefined;
            return (
              <Fragment key={task.taskRunId}>
                <tr data-testid={`usage-task-${task.taskName}`}>
                  <td>
                    <a href={`#${taskAnchor(task.taskName)}`} className={styles.mono}>
                      {task.taskName}
                    </a>
                    {task.attempts > 1 ? <span className="muted small"> · {task.attempts} attempts</span> : null}
                  </td>
                  <td className={styles.mono}>{single ? single.model : <span className="muted">{task.models.length} models</span>}</td>
                  <td className="num">{task.calls}</td>
                  <td className="num">{formatTokens(task.inputTokens)}</td>
                  <td className="num">{formatTokens(task.outputTokens)}</td>
                  <td className="num">
                    <UsageCost {...task} unpricedModels={task.models.filter((m) => m.unpricedCalls > 0).map((m) => m.model)} />
                  </td>
                </tr>
                {single
                  ? null
                  : task.models.map((m) => (
                      <tr key={m.model} className={styles.modelRow} data-testid={`usage-model-${task.taskName}`}>
                        <td />
                        <td className={`${styles.mono} ${styles.modelName}`}>{m.model}</td>
                        <td className="num">{m.calls}</td>
                        <td className="num">{formatTokens(m.inputTokens)}</td>
                        <td className="num">{formatTokens(m.outputTokens)}</td>
                        <td className="num">
                          <UsageCost {...m} />
                        </td>
                      </tr>
                    ))}
              </Fragment>
            );
          })}
        </tbody>
        <tfoot>
          <tr data-testid="run-usage-total">
            <td>Total</td>
            <td />
            <td className="num">{total.calls}</td>
            <td className="num">{formatTokens(total.inputTokens)}</td>
            <td className="num">{formatTokens(total.outputTokens)}</td>
            <td className="num">
              <UsageCost {...total} testId="run-usage-total-cost" />
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
