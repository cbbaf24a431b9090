'use client';

import type { WorkflowDefinition } from '@whetstone/sdk/contract';
import Link from 'next/link';
import { useState } from 'react';
import { DagGraph } from '@/app/_ui/dag-graph';
import { eventFiltersQuery, filterForPattern } from '../../events/_components/events-filters';
import { JsonView } from '@/app/_ui/json-view';
import { AbsoluteTime } from '@/app/_ui/time';
import styles from './workflows.module.css';
import { projectPath } from '@/server/shared/urls';

type Task = WorkflowDefinition['tasks'][number];

export interface WorkflowCron {
  id: string;
  name: string | null;
  source: 'DEFINITION' | 'API';
  expression: string | null;
  nextRunAt: Date | null;
  lastFiredAt: Date | null;
}

function backoffText(task: Omit<Task, 'parents'>): string {
  if (!task.backoff || task.retries === 0) return '—';
  return `${task.backoff.factor}^n s, max ${task.backoff.maxSeconds} s`;
}

function TaskOptionsRow({
  task,
  parents,
  selected,
  note,
}: {
  task: Omit<Task, 'parents'>;
  parents: string[];
  selected: boolean;
  note?: string;
}) {
  return (
    <tr data-testid={`task-options-${task.name}`} className={selected ? styles.selectedRow : undefined}>
      <td className="mono">
        {task.name}
        {note ? <span className="muted small"> · {note}</span> : null}
      </td>
      <td className="mono small">{parents.length ? parents.join(', ') : '—'}</td>
      <td className="num">{task.retries}</td>
      <td>{backoffText(task)}</td>
      <td className="num">{task.executionTimeout}</td>
      <td className="num">{task.scheduleTimeout}</td>
    </tr>
  );
}

/** One version's definition: its DAG, each task's retry and timeout options, and its triggers. */
export function WorkflowDefinitionView(props: {
  project: string;
  version: number;
  isLatest: boolean;
  definition: WorkflowDefinition | null;
  raw: unknown;
  crons: WorkflowCron[];
}) {
  const { definition, project } = props;
  const [selectedTask, setSelectedTask] = useState<string | null>(null);
  if (!definition) {
    return (
      <div className="panel">
        <h2>Definition v{props.version}</h2>
        <p className="error-box">This version’s stored definition could not be read; here it is as stored.</p>
        <JsonView value={props.raw} />
      </div>
    );
  }
  const runtimeCrons = props.crons.filter((c) => c.source === 'API');
  const declaredCrons = props.crons.filter((c) => c.source === 'DEFINITION');

  return (
    <div className="panel" data-testid="workflow-definition" data-version={props.version}>
      <div className={styles.sectionHead}>
        <h2>Definition v{props.version}</h2>
        {props.isLatest ? <span className="muted small">latest</span> : <span className="muted small">older version</span>}
        <span className="muted small">· default priority {definition.defaultPriority}</span>
      </div>

      <h4>Tasks</h4>
      <DagGraph
        nodes={definition.tasks.map((t) => ({ name: t.name, parents: t.parents }))}
        height={Math.min(420, 120 + definition.tasks.length * 40)}
        onSelect={setSelectedTask}
        testIdPrefix="dag-node"
      />
      <table className={`runs-table ${styles.options}`} data-testid="task-options" style={{ marginTop: 10 }}>
        <thead>
          <tr>
            <th>Task</th>
            <th>Parents</th>
            <th className="num">Retries</th>
            <th>Backoff</th>
            <th className="num">Timeout</th>
            <th className="num">Schedule timeout</th>
          </tr>
        </thead>
        <tbody>
          {definition.tasks.map((t) => (
            <TaskOptionsRow key={t.name} task={t} parents={t.parents} selected={selectedTask === t.name} />
          ))}
          {definition.onFailure ? (
            <TaskOptionsRow
              task={definition.onFailure}
              parents={[]}
              selected={selectedTask === definition.onFailure.name}
              note="on failure"
            />
          ) : null}
        </tbody>
      </table>

      <h4>Triggers</h4>
      <div data-testid="workflow-triggers">
        <p className="small">
          <strong>Events: </strong>
          {definition.onEvents.length === 0 ? <span className="muted">none</span> : null}
          {definition.onEvents.map((pattern) => {
            const filter = filterForPattern(pattern);
            return (
              <span key={pattern} className={styles.tag} data-testid={`trigger-event-${pattern}`} style={{ marginRight: 4 }}>
                {filter ? <Link href={`${projectPath(project, 'events')}${eventFiltersQuery(filter)}`}>{pattern}</Link> : pattern}
              </span>
            );
          })}
        </p>
        <p className="small">
          <strong>Crons in code (UTC): </strong>
          {definition.onCrons.length === 0 ? <span className="muted">none</span> : null}
          {definition.onCrons.map((expression) => {
            const live = declaredCrons.find((c) => c.expression === expression);
            return (
              <span key={expression} className={styles.tag} data-testid={`trigger-cron-${expression}`} style={{ marginRight: 4 }}>
                {expression}
                {props.isLatest && live?.nextRunAt ? (
                  <>
                    {' '}
                    · next <AbsoluteTime date={live.nextRunAt} />
                  </>
                ) : null}
              </span>
            );
          })}
        </p>
        {runtimeCrons.length > 0 ? (
          <table className="runs-table table compact" data-testid="runtime-crons">
            <thead>
              <tr>
                <th>Cron (created at runtime)</th>
                <th>Expression</th>
                <th>Next run</th>
                <th>Last fired</th>
              </tr>
            </thead>
            <tbody>
              {runtimeCrons.map((c) => (
                <tr key={c.id}>
                  <td className="mono small">{c.name}</td>
                  <td className="mono small">{c.expression}</td>
                  <td>
                    <AbsoluteTime date={c.nextRunAt} />
                  </td>
                  <td>
                    <AbsoluteTime date={c.lastFiredAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>

      {definition.inputSchema ? (
        <>
          <h4>Input schema</h4>
          <JsonView value={definition.inputSchema} testId="workflow-input-schema" />
        </>
      ) : null}
      <details style={{ marginTop: 12 }}>
        <summary className="muted small">Stored definition (JSON)</summary>
        <JsonView value={props.raw} />
      </details>
    </div>
  );
}
