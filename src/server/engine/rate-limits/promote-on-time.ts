/** Delays longer than this are left to BullMQ alone: its lag is negligible against such a window. */
const MAX_TIMER_MS = 60_000;

/**
 * BullMQ makes a delayed job available late by a varying amount (on Redis up to ~100 ms: Redis
 * checks blocking timeouts ten times a second). For a rate limit that lag moves a window's starts,
 * which can crowd them into the next window's. So the process that reserved also makes the job
 * due at its reserved time, never before, and wakes the workers; BullMQ's own timing stays the
 * fallback (this process exits first, or the delay is long). changeDelay(0) rather than promote():
 * on the Postgres backend promote() checks the state without locking the row, so racing a worker
 * that takes the job it can queue the job again while it runs; changeDelay only touches the delay.
 */
export function promoteOnTime(job: { changeDelay(delay: number): Promise<void> }, at: Date): void {
  const wait = at.getTime() - Date.now();
  if (wait <= 0 || wait > MAX_TIMER_MS) return;
  const fire = () => {
    const early = at.getTime() - Date.now();
    if (early > 0) {
      setTimeout(fire, early).unref();
      return;
    }
    // Fails if the job is no longer delayed (taken, or removed when the run was cancelled): fine.
    job.changeDelay(0).catch(() => undefined);
  };
  setTimeout(fire, wait).unref();
}
