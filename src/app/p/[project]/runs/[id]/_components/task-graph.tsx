'use client';

import { DagGraph, type DagGraphNode } from '@/app/_ui/dag-graph';
import { Duration } from '@/app/_ui/time';
import type { TaskData } from './types';

/** The run's DAG coloured by task status; clicking a task selects it. Frozen tasks (copied from a playground run's source) are dimmed. */
export function TaskGraph(props: { tasks: TaskData[]; now: number; selected: string | null; onSelect: (name: string) => void }) {
  if (props.tasks.length === 0) return <p className="muted">No tasks have been created for this run yet.</p>;
  const nodes: DagGraphNode[] = props.tasks.map((task) => ({
    name: task.taskName,
    parents: task.parents,
    status: task.status,
    dimmed: task.frozen,
    detail: task.frozen ? (
      <span data-testid={`graph-frozen-${task.taskName}`}>from source run</span>
    ) : (
      <>
        <Duration startedAt={task.startedAt} finishedAt={task.finishedAt} now={props.now} />
        {task.attempts > 1 ? <span>{task.attempts} attempts</span> : null}
        {task.isOnFailure ? <span>on failure</span> : null}
      </>
    ),
  }));
  return (
    <div className="task-graph-wrap" data-testid="task-graph">
      <DagGraph nodes={nodes} selected={props.selected} onSelect={props.onSelect} />
    </div>
  );
}
