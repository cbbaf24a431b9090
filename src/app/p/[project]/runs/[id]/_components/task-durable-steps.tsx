import Link from 'next/link';
import { ClockTime } from '@/app/_ui/time';
import styles from './task-durable-steps.module.css';
import type { TaskData } from './types';

type Step = TaskData['durableSteps'][number];

const shortId = (id: string) => `${id.slice(0, 8)}…${id.slice(-4)}`;

function compactJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** What the step waits for, in words: "sleep until 10:42:03", "event order:paid {…}", "child run 0195…". */
function StepTarget({ step }: { step: Step }) {
  if (step.kind === 'SLEEP') {
    return (
      <>
        sleep until <ClockTime date={step.wakeAt} />
      </>
    );
  }
  if (step.kind === 'EVENT') {
    return (
      <>
        event <span className="mono">{step.eventKey}</span>
        {step.filter ? <span className={`mono small ${styles.filter}`}> {compactJson(step.filter)}</span> : null}
      </>
    );
  }
  return step.childRunId && step.childRunPath ? (
    <>
      child run{' '}
      <Link href={step.childRunPath} className="mono" data-testid={`durable-child-${step.childRunId}`} title={step.childRunId}>
        {shortId(step.childRunId)}
      </Link>
    </>
  ) : (
    <>child run</>
  );
}

/** "waiting: sleep until …" / "waiting for event …" / "waiting for child run …", next to a WAITING task's status. */
export function DurableWaiting({ task }: { task: TaskData }) {
  const step = task.waitingOn;
  if (!step) return null;
  return (
    <span className={`small ${styles.waiting}`} data-testid={`task-waiting-${task.taskName}`}>
      {step.kind === 'SLEEP' ? 'waiting: ' : 'waiting for '}
      <StepTarget step={step} />
    </span>
  );
}

/** A durable task's steps: what each waited for, when it completed and with what. */
export function TaskDurableSteps({ task }: { task: TaskData }) {
  if (task.durableStepCount === 0) return null;
  const more = task.durableStepCount - task.durableSteps.length;
  return (
    <div className={styles.steps}>
      <h4>
        Durable steps <span className="muted small">({task.durableStepCount})</span>
      </h4>
      <table className="table compact" data-testid={`durable-steps-${task.taskName}`}>
        <thead>
          <tr>
            <th>#</th>
            <th>Waits for</th>
            <th>Recorded</th>
            <th>Completed</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {task.durableSteps.map((step) => (
            <tr key={step.index} data-testid={`durable-step-${task.taskName}-${step.index}`}>
              <td>{step.index}</td>
              <td>
                <StepTarget step={step} />
              </td>
              <td>
                <ClockTime date={step.createdAt} />
              </td>
              <td className={step.completedAt ? undefined : 'muted'}>
                {step.completedAt ? <ClockTime date={step.completedAt} /> : 'waiting'}
              </td>
              <td className={`mono small ${styles.value}`} title={step.error ?? compactJson(step.value)}>
                {step.error ? (
                  <span className="error-text">{step.error}</span>
                ) : step.completedAt && step.kind !== 'SLEEP' ? (
                  compactJson(step.value)
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 ? <p className="muted small">and {more} more</p> : null}
    </div>
  );
}
