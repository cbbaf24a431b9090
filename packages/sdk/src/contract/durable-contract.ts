// Durable tasks on the wire: what a worker reports when a durable task suspends at a step, and
// the recorded step results a resumed job carries. Shared by SDK and server like the rest of the contract.
import { z } from 'zod';

/** Event filters and keys are kept small: they are matched against every event pushed with the key. */
export const MAX_DURABLE_FILTER_BYTES = 16 * 1024;
/** Longest `ctx.sleepFor()`: a year. */
export const MAX_DURABLE_SLEEP_MS = 366 * 86_400_000;

const filterSchema = z
  .record(z.string(), z.unknown())
  .refine(
    (filter) => Buffer.byteLength(JSON.stringify(filter)) <= MAX_DURABLE_FILTER_BYTES,
    `a filter is at most ${MAX_DURABLE_FILTER_BYTES} bytes of JSON`,
  );

/** The step a durable task suspended at: its 0-based position among the task's durable calls, and what it waits for. */
export const durableStepSchema = z.discriminatedUnion('kind', [
  z.object({ index: z.number().int().min(0).max(10_000), kind: z.literal('sleep'), wakeAt: z.iso.datetime({ offset: true }) }),
  z.object({
    index: z.number().int().min(0).max(10_000),
    kind: z.literal('event'),
    key: z.string().min(1).max(200),
    filter: filterSchema.optional(),
  }),
  z.object({ index: z.number().int().min(0).max(10_000), kind: z.literal('child'), childRunId: z.string().uuid() }),
]);
export type DurableStepReport = z.infer<typeof durableStepSchema>;

/** A completed step's result: a value (null for a sleep, the event's payload, the child's output) or an error (a failed child run). */
export const durableStepResultSchema = z.union([z.object({ value: z.unknown() }), z.object({ error: z.string() })]);
export type DurableStepResult = z.infer<typeof durableStepResultSchema>;

/** Results of a durable task's completed steps, by step index: a resumed job carries them and the task replays them. */
export const durableResultsSchema = z.record(z.string().regex(/^\d+$/), durableStepResultSchema);
export type DurableResults = z.infer<typeof durableResultsSchema>;

/** The key of the child run a durable task's step spawns: re-running the step finds the same child. */
export function durableChildKey(index: number): string {
  return `durable-${index}`;
}
