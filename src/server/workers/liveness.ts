/** An SDK worker whose last heartbeat is older than this is not counted as live. */
export const LIVE_WORKER_WINDOW_MS = 30_000;
