import type { LogLine, TaskJob } from './contract.js';
import type { TaskRef } from './workflow.js';

export type LogLevel = LogLine['level'];

/** What a task function receives besides its input. */
export class Context<I = unknown> {
  readonly input: I;
  readonly runId: string;
  readonly taskRunId: string;
  readonly workflowName: string;
  readonly taskName: string;
  readonly attempt: number;
  readonly additionalMetadata: Record<string, string>;
  readonly abortSignal: AbortSignal;

  constructor(
    private readonly job: TaskJob,
    attempt: number,
    abortSignal: AbortSignal,
    private readonly onLog: (line: LogLine) => void,
  ) {
    this.input = job.input as I;
    this.runId = job.runId;
    this.taskRunId = job.taskRunId;
    this.workflowName = job.workflow;
    this.taskName = job.task;
    this.attempt = attempt;
    this.additionalMetadata = job.additionalMetadata;
    this.abortSignal = abortSignal;
  }

  /** The output of a parent task (declared in `parents`). */
  parentOutput<R>(parent: TaskRef<R> | string): R {
    const name = typeof parent === 'string' ? parent : parent.name;
    if (!(name in this.job.parentOutputs)) {
      throw new Error(`Task '${this.taskName}' has no parent '${name}': add it to the task's parents`);
    }
    return this.job.parentOutputs[name] as R;
  }

  /** 0 on the first attempt, 1 on the first retry, … (Hatchet's `retryCount`). */
  get retryCount(): number {
    return this.attempt - 1;
  }

  /** In an onFailure task: the error of each task that failed, by task name. Empty elsewhere. */
  taskErrors(): Record<string, string> {
    return { ...(this.job.taskErrors ?? {}) };
  }

  /** A log line stored with this attempt and shown in the dashboard. */
  log(message: string, level: LogLevel = 'INFO'): void {
    this.onLog({ level, message: String(message), at: new Date().toISOString() });
  }
}
