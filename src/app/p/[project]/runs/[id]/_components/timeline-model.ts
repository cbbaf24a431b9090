// Pure geometry of the run timeline: every task attempt as a bar on one time axis.

export interface TimelineAttemptInput {
  attempt: number;
  status: string;
  error: string | null;
  workerName: string | null;
  queuedAt: Date | null;
  runAfter: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface TimelineTaskInput {
  taskName: string;
  status: string;
  attempts: number;
  workerName: string | null;
  error: string | null;
  queuedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  attemptHistory: TimelineAttemptInput[];
}

export interface TimelineBar {
  attempt: number;
  status: string;
  workerName: string | null;
  errorLine: string | null;
  queuedAt: number;
  runAfter: number | null;
  startedAt: number | null;
  /** Finish time, or now while it is still going. */
  end: number;
  finished: boolean;
  /** Percent of the axis. */
  left: number;
  width: number;
  /** Percent of the bar spent waiting (queue and retry backoff) before it started. */
  waitShare: number;
}

export interface TimelineRow {
  taskName: string;
  status: string;
  bars: TimelineBar[];
}

export interface Timeline {
  start: number;
  end: number;
  rows: TimelineRow[];
  /** Offsets from `start` in ms, with their percent on the axis. */
  ticks: Array<{ offsetMs: number; left: number }>;
}

const firstLine = (text: string | null) => (text ? (text.split('\n')[0] ?? '').trim() || null : null);
const time = (d: Date | null) => (d ? d.getTime() : null);

/** Old runs (before attempts were recorded) still get one bar from the task's own timings. */
function attemptsOf(task: TimelineTaskInput): TimelineAttemptInput[] {
  if (task.attemptHistory.length > 0) return task.attemptHistory;
  if (!task.queuedAt && !task.startedAt) return [];
  return [
    {
      attempt: Math.max(1, task.attempts),
      status: task.status,
      error: task.error,
      workerName: task.workerName,
      queuedAt: task.queuedAt,
      runAfter: null,
      startedAt: task.startedAt,
      finishedAt: task.finishedAt,
    },
  ];
}

/**
 * Bars for every attempt of every task. The axis runs from the run's creation
 * to its finish (or `now` while it runs); an unfinished attempt of a finished
 * run (should not happen) ends where the run ended.
 */
export function buildTimeline(
  run: { createdAt: Date; finishedAt: Date | null },
  tasks: readonly TimelineTaskInput[],
  now: number,
): Timeline {
  const runEnd = time(run.finishedAt);
  const raw = tasks.map((task) => ({
    task,
    attempts: attemptsOf(task).map((a) => {
      const startedAt = time(a.startedAt);
      const queuedAt = time(a.queuedAt) ?? startedAt ?? run.createdAt.getTime();
      const finishedAt = time(a.finishedAt);
      const end = finishedAt ?? runEnd ?? now;
      return { a, queuedAt, startedAt, end: Math.max(end, queuedAt), finished: finishedAt !== null };
    }),
  }));

  let start = run.createdAt.getTime();
  let end = runEnd ?? now;
  for (const { attempts } of raw) {
    for (const a of attempts) {
      start = Math.min(start, a.queuedAt);
      end = Math.max(end, a.end);
    }
  }
  const span = Math.max(1, end - start);
  const pct = (t: number) => ((t - start) / span) * 100;

  const rows = raw.map(({ task, attempts }) => ({
    taskName: task.taskName,
    status: task.status,
    bars: attempts.map(({ a, queuedAt, startedAt, end: barEnd, finished }) => {
      const length = barEnd - queuedAt;
      const waited = startedAt === null ? length : Math.min(length, Math.max(0, startedAt - queuedAt));
      return {
        attempt: a.attempt,
        status: a.status,
        workerName: a.workerName,
        errorLine: firstLine(a.error),
        queuedAt,
        runAfter: time(a.runAfter),
        startedAt,
        end: barEnd,
        finished,
        left: pct(queuedAt),
        width: pct(barEnd) - pct(queuedAt),
        waitShare: length > 0 ? (waited / length) * 100 : startedAt === null ? 100 : 0,
      };
    }),
  }));

  return { start, end, rows, ticks: axisTicks(span) };
}

/** 3-7 ticks at a round step (1, 2 or 5 × a power of ten ms). */
export function axisTicks(spanMs: number): Timeline['ticks'] {
  const span = Math.max(1, spanMs);
  let step = 1;
  for (const base of [1, 2, 5].flatMap((m) => Array.from({ length: 10 }, (_, e) => m * 10 ** e)).sort((a, b) => a - b)) {
    step = base;
    if (span / base <= 6) break;
  }
  step = Math.max(step, span / 6);
  const ticks: Timeline['ticks'] = [];
  for (let t = 0; t <= span; t += step) ticks.push({ offsetMs: t, left: (t / span) * 100 });
  return ticks;
}
