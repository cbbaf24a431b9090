// What workflows need of the client to start and follow runs (Hatchet's `client.interface.ts`):
// `Workflow` and `RunRef` hold a `RunClient`, not the `Whetstone` class, so they never import it.
import type { RunSummary } from '../contract.js';

export interface RunOptions {
  additionalMetadata?: Record<string, string>;
  /** 1 to 3 (most urgent); default: the workflow's defaultPriority. */
  priority?: 1 | 2 | 3;
  /** A second trigger with the same key returns the first run instead of starting another. Default: a fresh key per call, so retries of this call never start two runs. */
  idempotencyKey?: string;
}

/** How workflows reach the server; implemented by the Whetstone client. */
export interface RunClient {
  triggerRun(workflow: string, input: unknown, opts?: RunOptions): Promise<string>;
  /** Starts runs in bulk requests, ids in order (without it, runNoWaitMany triggers them one by one). */
  triggerRuns?(workflow: string, runs: ReadonlyArray<{ input: unknown; options?: RunOptions }>): Promise<string[]>;
  waitForRun(runId: string): Promise<RunSummary>;
  getRun(runId: string): Promise<RunSummary>;
  cancelRun(runId: string): Promise<RunSummary>;
}
