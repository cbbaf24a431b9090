// Every queue and its payload, in one place. The SDK owns the wire contract
// (SDK workers consume the same queues); the server only re-exports it.
export {
  WORKER_REPORTS_QUEUE,
  workerReportSchema,
  taskJobSchema,
  taskQueueName,
  type WorkerReport,
  type TaskJob,
  type TransportConnection,
} from '@whetstone/sdk/contract';

/** Task jobs stay inspectable for a while, then BullMQ prunes them; Postgres keeps the record. */
export const TASK_JOB_RETENTION = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600 },
} as const;
