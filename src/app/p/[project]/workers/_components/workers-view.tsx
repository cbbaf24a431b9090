'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { RouterOutputs } from '@/app/_trpc/types';
import { useTRPC } from '@/app/_trpc/providers';
import { Duration, RelativeTime, useNow } from '@/app/_ui/time';
import styles from './workers-view.module.css';
import { runPath } from '@/server/shared/urls';

type WorkerList = RouterOutputs['workers']['list'];
type WorkerRow = WorkerList['live'][number];

/** "support-reply:draft" actions grouped by workflow, in first-seen order. */
function groupActions(actions: readonly string[]): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const action of actions) {
    const at = action.indexOf(':');
    const [workflow, task] = at < 0 ? [action, action] : [action.slice(0, at), action.slice(at + 1)];
    groups.set(workflow, [...(groups.get(workflow) ?? []), task]);
  }
  return [...groups];
}

const STATE_LABEL = { live: 'live', stopped: 'stopped', lost: 'no heartbeat' } as const;

function WorkerCard({ worker, project, now }: { worker: WorkerRow; project: string; now: number }) {
  return (
    <article className={styles.card} data-testid={`worker-${worker.id}`} data-state={worker.state} data-name={worker.name}>
      <div className={styles.head}>
        <span className={styles.name} data-testid="worker-name">
          {worker.name}
        </span>
        <span className={styles.stateBadge} data-state={worker.state} data-testid="worker-state">
          {STATE_LABEL[worker.state]}
        </span>
        <span className={styles.id} title="Worker id">
          {worker.id}
        </span>
        <span
          className={styles.slots}
          data-busy={worker.runningCount > 0}
          data-testid="worker-running-count"
          title="Task runs this worker is running now (its slot limit is per action and not reported)"
        >
          running now: {worker.runningCount}
        </span>
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>last heartbeat</dt>
          <dd data-testid="worker-heartbeat">
            <RelativeTime date={worker.lastHeartbeatAt} now={now} />
          </dd>
        </div>
        {worker.stoppedAt ? (
          <div>
            <dt>stopped</dt>
            <dd>
              <RelativeTime date={worker.stoppedAt} now={now} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>started</dt>
          <dd>
            <RelativeTime date={worker.startedAt} now={now} />
          </dd>
        </div>
        <div>
          <dt>host</dt>
          <dd className="mono">
            {worker.hostname ?? '—'}
            {worker.pid != null ? ` · pid ${worker.pid}` : ''}
          </dd>
        </div>
      </dl>
      <div className={styles.actions} data-testid="worker-actions" aria-label="Actions (workflow: tasks)">
        {worker.actions.length === 0 ? <span className="muted">no actions</span> : null}
        {groupActions(worker.actions).map(([workflow, tasks]) => (
          <span key={workflow} data-testid={`worker-action-${workflow}`}>
            <span className={styles.workflow}>{workflow}</span>
            {tasks.map((task) => (
              <span key={task} className={styles.task}>
                {task}
              </span>
            ))}
          </span>
        ))}
      </div>
      {worker.running.length > 0 ? (
        <table className={styles.running} data-testid="worker-running">
          <thead>
            <tr>
              <th>Running now</th>
              <th>Workflow</th>
              <th>Run</th>
              <th className="num">Attempt</th>
              <th className="num">For</th>
            </tr>
          </thead>
          <tbody>
            {worker.running.map((task) => (
              <tr key={task.taskRunId} data-testid={`running-${task.taskRunId}`}>
                <td className="mono">{task.taskName}</td>
                <td>{task.workflowName}</td>
                <td>
                  <Link href={runPath(project, task.runId, { task: task.taskName })} className="mono">
                    {task.runId.slice(0, 8)}…{task.runId.slice(-4)}
                  </Link>
                </td>
                <td className="num">{task.attempt}</td>
                <td className="num">
                  <Duration startedAt={task.startedAt} finishedAt={null} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {worker.runningCount > worker.running.length ? (
        <p className="muted small">…and {worker.runningCount - worker.running.length} more</p>
      ) : null}
    </article>
  );
}

function NoLiveWorkers() {
  return (
    <div className="empty-state" data-testid="workers-empty">
      <h2>No live workers</h2>
      <p>A worker is live while it sends a heartbeat (every 5 s). Start one with the SDK:</p>
      <pre className="command">await ws.worker(&apos;my-worker&apos;, {'{ workflows: [myWorkflow] }'}).start()</pre>
      <p className="muted">
        or run the demo worker with <code>npm start</code>.
      </p>
    </div>
  );
}

/** Workers of the project: live ones with what they run now, then those that stopped or went silent. */
export function WorkersView({ project }: { project: string }) {
  const trpc = useTRPC();
  const now = useNow();
  const query = useQuery(trpc.workers.list.queryOptions({ project }, { refetchInterval: 1_000 }));
  const data = query.data;
  const windowSeconds = Math.round((data?.liveWindowMs ?? 30_000) / 1000);

  return (
    <section data-testid="workers-page">
      <div className="page-title">
        <h1>Workers</h1>
        <span className={query.isError ? 'live-indicator stale' : 'live-indicator'} title="Refreshes every second">
          {query.isError ? 'Reconnecting…' : 'Live'}
        </span>
      </div>
      {query.isError && !data ? (
        <div className="error-box" role="alert">
          Could not load workers: {query.error.message}
        </div>
      ) : null}
      {!data && !query.isError ? <p className="muted">Loading workers…</p> : null}
      {data ? (
        <>
          <div className={styles.section} data-testid="workers-live">
            <div className={styles.sectionHead}>
              <h2>Live ({data.live.length})</h2>
              <span className="muted small">heartbeat in the last {windowSeconds} s</span>
            </div>
            {data.live.length === 0 ? (
              <NoLiveWorkers />
            ) : (
              <div className={styles.list}>
                {data.live.map((w) => (
                  <WorkerCard key={w.id} worker={w} project={project} now={now} />
                ))}
              </div>
            )}
          </div>
          <div className={styles.section} data-testid="workers-stopped">
            <div className={styles.sectionHead}>
              <h2>Stopped or lost ({data.stopped.length})</h2>
              <span className="muted small">
                last 24 h; “no heartbeat” means it went silent without stopping (killed, crashed, cut off)
              </span>
            </div>
            {data.stopped.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <div className={styles.list}>
                {data.stopped.map((w) => (
                  <WorkerCard key={w.id} worker={w} project={project} now={now} />
                ))}
              </div>
            )}
          </div>
        </>
      ) : null}
    </section>
  );
}
