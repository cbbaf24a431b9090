import styles from './status-badge.module.css';

const LABELS: Record<string, string> = {
  PENDING: 'Pending',
  QUEUED: 'Queued',
  RUNNING: 'Running',
  WAITING: 'Waiting',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
  SKIPPED: 'Skipped',
  TIMED_OUT: 'Timed out',
  LOST: 'Lost',
};

export function statusLabel(status: string): string {
  return LABELS[status] ?? status;
}

/** Coloured pill for a run or task status (colours live in globals.css under .status-*). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge status-${status.toLowerCase()}${status === 'WAITING' ? ` ${styles.waiting}` : ''}`} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
