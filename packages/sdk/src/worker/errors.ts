/** Throw it from a task to fail the attempt without any retry, whatever the task's `retries`. */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

/** The attempt ran longer than the task's `executionTimeout`; its `ctx.abortSignal` fired. */
export class TaskTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskTimeoutError';
  }
}

/** The run was cancelled while this task was running; its `ctx.abortSignal` fired. */
export class TaskCancelledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskCancelledError';
  }
}

/** A task's output was over the server's limit (`WHETSTONE_MAX_PAYLOAD_BYTES`, default 1 MiB). */
export class PayloadTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}
