'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { RouterOutputs } from '@/app/_trpc/types';
import { JsonView } from '@/app/_ui/json-view';
import { useTRPC } from '@/app/_trpc/providers';
import { CronForm, OneOffForm } from './schedules-forms';
import { formatUntil } from './schedules-time';
import styles from './schedules-view.module.css';
import { StatusBadge } from '@/app/_ui/status-badge';
import { AbsoluteTime, RelativeTime, useNow } from '@/app/_ui/time';
import { runPath } from '@/server/shared/urls';

type ScheduleList = RouterOutputs['schedules']['list'];
type ScheduleRow = ScheduleList['crons'][number];

const toDate = (iso: string | null) => (iso ? new Date(iso) : null);

function When({ iso, now }: { iso: string | null; now: number }) {
  const date = toDate(iso);
  if (!date) return <span className="muted">—</span>;
  return (
    <span className={styles.when}>
      <AbsoluteTime date={date} />
      <span className="muted small" suppressHydrationWarning>
        {formatUntil(date, now)}
      </span>
    </span>
  );
}

function LastRun({ row, project, now }: { row: ScheduleRow; project: string; now: number }) {
  const fired = toDate(row.kind === 'ONCE' ? row.firedAt : row.lastFiredAt);
  if (!fired) return <span className="muted">never</span>;
  return (
    <span className={styles.when}>
      <RelativeTime date={fired} now={now} />
      {row.lastRun ? (
        <Link href={runPath(project, row.lastRun.id)} className="small" data-testid="schedule-last-run">
          <StatusBadge status={row.lastRun.status} />
        </Link>
      ) : null}
    </span>
  );
}

function InputCell({ value }: { value: unknown }) {
  return (
    <details className={styles.input}>
      <summary>show</summary>
      <JsonView value={value} />
    </details>
  );
}

/** Delete with an inline confirmation; a declared cron explains where it lives instead. */
function DeleteCell({ row, project, canEdit }: { row: ScheduleRow; project: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.schedules.delete.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.schedules.list.queryKey({ project }) }),
      onSettled: () => setConfirming(false),
    }),
  );
  if (row.source === 'DEFINITION') {
    return (
      <span className={styles.declaredNote} data-testid="declared-note">
        Declared in the workflow&apos;s code: to delete it, remove it from the code (<code>on: {'{ cron }'}</code>) and restart the worker.
      </span>
    );
  }
  if (!canEdit) return null;
  if (remove.isError)
    return (
      <span className="error-box small" role="alert">
        {remove.error.message}
      </span>
    );
  return confirming ? (
    <span className={styles.confirm}>
      <button
        type="button"
        className="button danger"
        disabled={remove.isPending}
        onClick={() => remove.mutate({ project, id: row.id })}
        data-testid="schedule-delete-confirm"
      >
        {remove.isPending ? 'Deleting…' : 'Delete'}
      </button>
      <button type="button" className="link-button" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  ) : (
    <button type="button" className="button" onClick={() => setConfirming(true)} data-testid="schedule-delete">
      Delete…
    </button>
  );
}

function CronTable({ rows, project, canEdit, now }: { rows: ScheduleRow[]; project: string; canEdit: boolean; now: number }) {
  if (rows.length === 0)
    return (
      <p className="muted" data-testid="crons-empty">
        No crons. Declare one in a workflow (<code>on: {"{ cron: '0 7 * * *' }"}</code>) or create one here.
      </p>
    );
  return (
    <table className="runs-table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Workflow</th>
          <th>Expression (UTC)</th>
          <th>Next run</th>
          <th>Last fired</th>
          <th>Source</th>
          <th>Input</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.id}
            data-testid={`schedule-${row.id}`}
            data-name={row.name ?? ''}
            data-workflow={row.workflow}
            data-source={row.source}
          >
            <td className="mono">{row.name}</td>
            <td>{row.workflow}</td>
            <td>
              <code>{row.expression}</code>
            </td>
            <td data-testid="schedule-next-run">
              <When iso={row.nextRunAt} now={now} />
            </td>
            <td>
              <LastRun row={row} project={project} now={now} />
            </td>
            <td>
              {row.source === 'DEFINITION' ? (
                <span className={styles.sourceDeclared} data-testid="schedule-source">
                  declared
                </span>
              ) : (
                <span className={styles.sourceApi} data-testid="schedule-source">
                  runtime
                </span>
              )}
            </td>
            <td>
              <InputCell value={row.input} />
            </td>
            <td>
              <DeleteCell row={row} project={project} canEdit={canEdit} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OneOffTable({ rows, project, canEdit, now }: { rows: ScheduleRow[]; project: string; canEdit: boolean; now: number }) {
  if (rows.length === 0)
    return (
      <p className="muted" data-testid="oneoffs-empty">
        No one-off schedules. Create one here, or with <code>wf.schedule(date, input)</code> / <code>wf.delay(seconds, input)</code>.
      </p>
    );
  return (
    <table className="runs-table">
      <thead>
        <tr>
          <th>Workflow</th>
          <th>Runs at</th>
          <th>State</th>
          <th>Input</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-testid={`schedule-${row.id}`} data-workflow={row.workflow} data-state={row.firedAt ? 'fired' : 'pending'}>
            <td>{row.workflow}</td>
            <td data-testid="schedule-next-run">
              {row.firedAt ? <AbsoluteTime date={toDate(row.runAt)} /> : <When iso={row.runAt} now={now} />}
            </td>
            <td data-testid="schedule-state">
              {row.firedAt ? (
                <span>
                  fired <LastRun row={row} project={project} now={now} />
                </span>
              ) : (
                <span className="badge status-queued">pending</span>
              )}
            </td>
            <td>
              <InputCell value={row.input} />
            </td>
            <td>{row.firedAt ? null : <DeleteCell row={row} project={project} canEdit={canEdit} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Crons and one-off schedules of the project; editors and owners create and delete them. */
export function SchedulesView({ project, canEdit }: { project: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const now = useNow();
  const query = useQuery(trpc.schedules.list.queryOptions({ project }, { refetchInterval: 1_000 }));
  const data = query.data;

  return (
    <section data-testid="schedules-page">
      <div className="page-title">
        <h1>Schedules</h1>
        <span className={query.isError ? 'live-indicator stale' : 'live-indicator'} title="Refreshes every second">
          {query.isError ? 'Reconnecting…' : 'Live'}
        </span>
      </div>
      {query.isError && !data ? (
        <div className="error-box" role="alert">
          Could not load schedules: {query.error.message}
        </div>
      ) : null}
      {!data && !query.isError ? <p className="muted">Loading schedules…</p> : null}
      {data ? (
        <>
          {canEdit ? (
            data.workflows.length ? (
              <div className={styles.forms}>
                <CronForm project={project} workflows={data.workflows} />
                <OneOffForm project={project} workflows={data.workflows} />
              </div>
            ) : (
              <p className={styles.readOnly}>No workflow is registered yet: start a worker that defines one, then schedule it here.</p>
            )
          ) : (
            <p className={styles.readOnly} data-testid="schedules-read-only">
              You can see this project&apos;s schedules; editors and owners create and delete them.
            </p>
          )}
          <div className={styles.section} data-testid="crons">
            <div className={styles.sectionHead}>
              <h2>Crons ({data.crons.length})</h2>
              <span className="muted small">times in your local time; expressions fire in UTC</span>
            </div>
            <CronTable rows={data.crons} project={project} canEdit={canEdit} now={now} />
          </div>
          <div className={styles.section} data-testid="oneoffs">
            <div className={styles.sectionHead}>
              <h2>One-off schedules ({data.oneOffs.length})</h2>
              <span className="muted small">pending first</span>
            </div>
            <OneOffTable rows={data.oneOffs} project={project} canEdit={canEdit} now={now} />
          </div>
        </>
      ) : null}
    </section>
  );
}
