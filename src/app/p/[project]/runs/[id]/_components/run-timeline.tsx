'use client';

import { useMemo } from 'react';
import { formatClock, formatDuration } from '@/app/_ui/format';
import { statusLabel } from '@/app/_ui/status-badge';
import { ATTEMPT_STATUSES } from '@/server/shared/statuses';
import { buildTimeline, type TimelineBar, type TimelineTaskInput } from './timeline-model';

/**
 * Why an attempt waited before it could start (its runAfter). A first attempt has no backoff, so
 * only a rate limit holds it; a retry may wait for either. Under 100 ms is the engine's lead on
 * every rate-limited start, not a wait worth naming.
 */
function heldBy(bar: TimelineBar): string | null {
  if (bar.runAfter === null || bar.runAfter - bar.queuedAt < 100) return null;
  return bar.attempt === 1 ? 'rate limited' : 'retry backoff or rate limit';
}

/** Tooltip of one bar (a title attribute: plain text, so user data in it stays text). */
function barTitle(taskName: string, bar: TimelineBar, attempts: number): string {
  const lines = [`${taskName} · attempt ${bar.attempt}${attempts > 1 ? ` of ${attempts}` : ''} · ${statusLabel(bar.status)}`];
  lines.push(`worker: ${bar.workerName ?? '—'}`);
  const waitEnd = bar.startedAt ?? bar.end;
  let queued = `queued ${formatClock(new Date(bar.queuedAt))}, waited ${formatDuration(waitEnd - bar.queuedAt)}`;
  const held = heldBy(bar);
  if (held) queued += ` (${held} until ${formatClock(new Date(bar.runAfter!))})`;
  lines.push(queued);
  if (bar.startedAt !== null) {
    const finished = bar.finished ? ` → ${formatClock(new Date(bar.end))}` : ', still running';
    lines.push(`ran ${formatDuration(bar.end - bar.startedAt)} (${formatClock(new Date(bar.startedAt))}${finished})`);
  }
  if (bar.errorLine) lines.push(`error: ${bar.errorLine}`);
  return lines.join('\n');
}

/**
 * Gantt chart of the run: a row per task, a bar per attempt on one time axis.
 * The light part of a bar is time spent queued (and in retry backoff or held by a rate limit), the solid
 * part the attempt running; the colour is the attempt's outcome.
 */
export function RunTimeline(props: {
  run: { createdAt: Date; finishedAt: Date | null };
  tasks: readonly TimelineTaskInput[];
  /**
   * When the data was read: a running attempt's bar ends there. Not the ticking clock: this is the
   * same number on the server and in the hydrating browser (the query's dataUpdatedAt), and the
   * bars grow with every poll.
   */
  asOf: number;
  selected: string | null;
  onSelect: (name: string) => void;
}) {
  const { createdAt, finishedAt } = props.run;
  const live = finishedAt === null;
  // A finished run's timeline does not depend on the clock: don't rebuild it every tick.
  const clock = live ? props.asOf : 0;
  const timeline = useMemo(() => buildTimeline({ createdAt, finishedAt }, props.tasks, clock), [createdAt, finishedAt, props.tasks, clock]);
  if (props.tasks.length === 0) return null;

  return (
    <div className="timeline panel" data-testid="run-timeline">
      <div className="timeline-row timeline-axis" aria-hidden>
        <span className="timeline-label" />
        <div className="timeline-track">
          {timeline.ticks.map((tick) => (
            <span key={tick.offsetMs} className="timeline-tick" style={{ left: `${tick.left}%` }}>
              {tick.offsetMs === 0 ? '0' : `+${formatDuration(tick.offsetMs)}`}
            </span>
          ))}
        </div>
      </div>
      {timeline.rows.map((row) => (
        <div
          key={row.taskName}
          className={`timeline-row${props.selected === row.taskName ? ' selected' : ''}`}
          data-testid={`timeline-row-${row.taskName}`}
        >
          <button type="button" className="timeline-label mono" title={row.taskName} onClick={() => props.onSelect(row.taskName)}>
            {row.taskName}
          </button>
          <div className="timeline-track">
            {timeline.ticks.map((tick) => (
              <span key={tick.offsetMs} className="timeline-grid" style={{ left: `${tick.left}%` }} />
            ))}
            {row.bars.length === 0 ? <span className="timeline-none muted small">{statusLabel(row.status).toLowerCase()}</span> : null}
            {row.bars.map((bar) => (
              <button
                type="button"
                key={bar.attempt}
                className={`timeline-bar status-${bar.status.toLowerCase()}${bar.finished ? '' : ' live'}`}
                style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
                title={barTitle(row.taskName, bar, row.bars.length)}
                aria-label={`${row.taskName} attempt ${bar.attempt}: ${statusLabel(bar.status)}`}
                data-testid={`timeline-bar-${row.taskName}-${bar.attempt}`}
                data-status={bar.status}
                onClick={() => props.onSelect(row.taskName)}
              >
                <span className="timeline-wait" style={{ width: `${bar.waitShare}%` }} />
                {row.bars.length > 1 ? <span className="timeline-bar-label">#{bar.attempt}</span> : null}
              </button>
            ))}
          </div>
        </div>
      ))}
      <div className="timeline-legend small muted">
        <span>
          <span className="timeline-swatch wait" /> queued / backoff / rate limit
        </span>
        {ATTEMPT_STATUSES.filter((s) => s !== 'QUEUED').map((s) => (
          <span key={s}>
            <span className={`timeline-swatch status-${s.toLowerCase()}`} /> {statusLabel(s).toLowerCase()}
          </span>
        ))}
        <span className="timeline-total">
          {formatDuration(timeline.end - timeline.start)} from creation{live ? ' (running)' : ''}
        </span>
      </div>
    </div>
  );
}
