'use client';

import Link from 'next/link';
import type { RunListItem } from '@/server/runs/list-query';
import styles from './runs-list.module.css';
import { StatusBadge } from '@/app/_ui/status-badge';
import { Duration, RelativeTime } from '@/app/_ui/time';
import { runPath } from '@/server/shared/urls';

const shortId = (id: string) => `${id.slice(0, 8)}…${id.slice(-4)}`;

/** One run in the runs list; metadata chips add themselves as a filter when clicked. */
export function RunRow(props: {
  run: RunListItem;
  project: string;
  now: number;
  selection?: { selected: boolean; toggle: () => void };
  onMetadataClick: (key: string, value: string) => void;
}) {
  const { run, project } = props;
  return (
    <tr data-testid={`run-${run.id}`} data-status={run.status} data-trigger={run.triggerSource}>
      {props.selection ? (
        <td className={styles.selectCell}>
          <input
            type="checkbox"
            checked={props.selection.selected}
            onChange={props.selection.toggle}
            aria-label={`Select run ${shortId(run.id)}`}
            data-testid={`select-${run.id}`}
          />
        </td>
      ) : null}
      <td>
        <Link href={runPath(project, run.id)} className="row-link">
          {run.workflowName}
        </Link>
        <div className="mono muted small">{shortId(run.id)}</div>
        {run.inputPreview ? <div className={styles.preview}>{run.inputPreview}</div> : null}
      </td>
      <td>
        <StatusBadge status={run.status} />
        {run.waitingFor === 'CONCURRENCY' ? (
          <div className="muted small" data-testid={`waiting-${run.id}`} title="Queued behind the workflow's concurrency limit">
            waiting for concurrency
          </div>
        ) : null}
      </td>
      <td>
        <div className={styles.rowMeta}>
          {run.metadata.map(([key, value]) => (
            <button
              key={key}
              type="button"
              className={styles.metaChip}
              title={`Filter by ${key}=${value}`}
              data-testid={`meta-${key}`}
              onClick={() => props.onMetadataClick(key, value)}
            >
              <span className={styles.metaKey}>{key}:</span>
              {value}
            </button>
          ))}
          {run.moreMetadata ? <span className="muted small">+{run.moreMetadata}</span> : null}
        </div>
      </td>
      <td>
        <RelativeTime date={run.createdAt} now={props.now} />
      </td>
      <td className="num">
        <Duration startedAt={run.startedAt} finishedAt={run.finishedAt} now={props.now} />
      </td>
      <td>
        <span className="trigger">{run.triggerSource.toLowerCase()}</span>
        {run.replayOfId ? (
          <Link href={runPath(project, run.replayOfId)} className={`${styles.replayOf} small`} data-testid="replay-of">
            ↻ replay of <span className="mono">{run.replayOfId.slice(0, 8)}…</span>
          </Link>
        ) : null}
        {run.parentRunId ? (
          <Link
            href={runPath(project, run.parentRunId)}
            className={`${styles.replayOf} small`}
            data-testid="child-of"
            title="A child run: open the run that spawned it"
          >
            ↳ child of <span className="mono">{run.parentRunId.slice(0, 8)}…</span>
          </Link>
        ) : null}
      </td>
    </tr>
  );
}
