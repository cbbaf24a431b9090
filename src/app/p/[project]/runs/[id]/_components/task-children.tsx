import Link from 'next/link';
import { StatusBadge } from '@/app/_ui/status-badge';
import styles from './task-children.module.css';
import type { TaskData } from './types';

const shortId = (id: string) => `${id.slice(0, 8)}…${id.slice(-4)}`;

/** The child runs a task spawned (`ctx.runChild`): status, workflow, key and a link each (capped, with the total). */
export function TaskChildren({ task }: { task: TaskData }) {
  if (task.childRunCount === 0) return null;
  const more = task.childRunCount - task.childRuns.length;
  return (
    <div className={styles.children} data-testid={`children-${task.taskName}`}>
      <h4>
        Child runs <span className="muted small">({task.childRunCount})</span>
      </h4>
      <ul className={styles.list}>
        {task.childRuns.map((child) => (
          <li key={child.id}>
            <Link href={child.path} className="linked-run" data-testid={`child-run-${child.id}`} title={child.id}>
              <StatusBadge status={child.status} />
              <span className="mono">{child.workflowName}</span>
              <span className="mono muted small">{shortId(child.id)}</span>
              {child.key ? <span className="muted small">key {child.key}</span> : null}
            </Link>
          </li>
        ))}
      </ul>
      {more > 0 ? <p className="muted small">and {more} more</p> : null}
    </div>
  );
}
