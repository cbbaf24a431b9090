'use client';

import { useEffect, useState } from 'react';
import { elapsedMs, formatAbsolute, formatClock, formatDuration, formatRelative } from './format';

/** Current time in ms, re-read every `intervalMs` so relative times and running durations tick. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

// Server and browser clocks (and time zones) differ: these elements are
// allowed to differ at hydration and are corrected on the next tick.

export function RelativeTime({ date, now }: { date: Date; now: number }) {
  return (
    <time dateTime={date.toISOString()} title={formatAbsolute(date)} suppressHydrationWarning>
      {formatRelative(date, now)}
    </time>
  );
}

export function AbsoluteTime({ date }: { date: Date | null }) {
  if (!date) return <span className="muted">—</span>;
  return (
    <time dateTime={date.toISOString()} suppressHydrationWarning>
      {formatAbsolute(date)}
    </time>
  );
}

/** Time of day with milliseconds (task timings within one run); the full date is in the tooltip. */
export function ClockTime({ date }: { date: Date | null }) {
  if (!date) return <span className="muted">—</span>;
  return (
    <time dateTime={date.toISOString()} title={formatAbsolute(date)} suppressHydrationWarning>
      {formatClock(date)}
    </time>
  );
}

/** Finished: fixed duration. Running: live elapsed time. Not started: a dash. */
export function Duration(props: { startedAt: Date | null; finishedAt: Date | null; now: number }) {
  const ms = elapsedMs(props.startedAt, props.finishedAt, props.now);
  const live = props.startedAt != null && props.finishedAt == null;
  return (
    <span className={live ? 'duration live' : 'duration'} suppressHydrationWarning>
      {formatDuration(ms)}
    </span>
  );
}
