// BullMQ's Postgres backend and pg can emit 'error' on a client nobody listens to when the
// database restarts (a checked-out client has no idle listener): Node turns that into an uncaught
// exception. Those are connection losses the next query recovers from, not reasons to die.

const TRANSIENT_PG_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);
const TRANSIENT_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

export function isTransientConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && (TRANSIENT_PG_CODES.has(code) || TRANSIENT_NODE_CODES.has(code))) return true;
  const message = err instanceof Error ? err.message : String(err);
  return /Connection terminated unexpectedly|terminating connection due to administrator command|the database system is (shutting down|starting up)/.test(
    message,
  );
}
