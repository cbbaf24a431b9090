import Link from 'next/link';
import { StatusBadge } from '@/app/_ui/status-badge';
import { runPath } from '@/server/shared/urls';

/** Ids are uuid v7, whose first digits are the time: show the start and the (random) end. */
export function shortId(id: string): string {
  return `${id.slice(0, 8)}…${id.slice(-4)}`;
}

export interface EventRun {
  id: string;
  status: string;
  workflowName: string;
}

/** A run an event started: its workflow and status, linking to the run's page. */
export function EventRunLink({ project, run }: { project: string; run: EventRun }) {
  return (
    <Link
      href={runPath(project, run.id)}
      data-testid={`event-run-${run.id}`}
      data-status={run.status}
      title={`${run.workflowName} · ${run.id}`}
    >
      <StatusBadge status={run.status} /> <span className="mono small">{run.workflowName}</span>
    </Link>
  );
}
