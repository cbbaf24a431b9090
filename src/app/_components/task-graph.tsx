import type { TaskData } from './types';
import { Duration } from './time';

/**
 * A compact picture of the DAG: one column per depth (roots first), tasks in
 * topological order; each node names its parents and jumps to its panel.
 */
export function TaskGraph({ tasks, now }: { tasks: TaskData[]; now: number }) {
  if (tasks.length === 0) return <p className="muted">No tasks have been created for this run yet.</p>;
  const columns: TaskData[][] = [];
  for (const task of tasks) (columns[task.depth] ??= []).push(task);

  return (
    <ol className="task-graph" data-testid="task-graph" aria-label="Tasks in dependency order">
      {columns.map((column, depth) => (
        <li key={depth} className="graph-column">
          <ol>
            {(column ?? []).map((task) => (
              <li key={task.id}>
                <a
                  href={`#task-${encodeURIComponent(task.taskName)}`}
                  className={`graph-node status-${task.status.toLowerCase()}`}
                  data-testid={`graph-node-${task.taskName}`}
                >
                  <span className="graph-node-title">
                    <span className={`dot status-${task.status.toLowerCase()}`} aria-hidden />
                    <span className="graph-node-name">{task.taskName}</span>
                  </span>
                  <span className="graph-node-meta">
                    <Duration startedAt={task.startedAt} finishedAt={task.finishedAt} now={now} />
                    {task.parents.length > 0 ? <span className="graph-parents">after {task.parents.join(', ')}</span> : <span className="graph-parents">root</span>}
                  </span>
                </a>
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}
