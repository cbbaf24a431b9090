import type { RunClient } from '../client/client.interface.js';
import type { RunSummary } from '../contract.js';

/** A run started without waiting; `result()` resolves with its output or rejects with its error. */
export class RunRef<O> {
  constructor(
    readonly runId: string,
    private readonly client: RunClient,
  ) {}

  async result(): Promise<O> {
    const run = await this.client.waitForRun(this.runId);
    if (run.status === 'SUCCEEDED') return run.output as O;
    throw new WhetstoneRunError(this.runId, run.status, run.error ?? `run ${run.status.toLowerCase()}`);
  }

  /** The run's current status (and output or error once finished). */
  get(): Promise<RunSummary> {
    return this.client.getRun(this.runId);
  }

  /** Cancels the run: queued tasks never start, running ones get their abort signal. Resolves with the run's status after. */
  cancel(): Promise<RunSummary> {
    return this.client.cancelRun(this.runId);
  }
}

export class WhetstoneRunError extends Error {
  constructor(
    readonly runId: string,
    readonly status: string,
    message: string,
  ) {
    super(`Run ${runId} ${status}: ${message}`);
    this.name = 'WhetstoneRunError';
  }
}
