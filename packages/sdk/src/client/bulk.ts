// Bulk triggering: splitting many runs into bulk requests, and coalescing single triggers made
// together (`wf.runNoWait` in a loop without awaiting, `Promise.all`) into one request.
import { DEFAULT_MAX_PAYLOAD_BYTES, MAX_BULK_RUNS } from '../contract.js';
import { WhetstoneApiError } from './http.js';

/** One run as the SDK sends it: always with an idempotency key, so resending it is safe. */
export interface TriggerItem {
  input: unknown;
  additionalMetadata?: Record<string, string>;
  priority?: number;
  idempotencyKey: string;
}

/** How the coalescer reaches the server. */
export interface TriggerSender {
  /** One run, on the single-run endpoint. */
  one(workflow: string, item: TriggerItem): Promise<string>;
  /** Several runs, in bulk requests; their ids in order. */
  many(workflow: string, items: readonly TriggerItem[]): Promise<string[]>;
}

/** Triggers of one workflow sent together at most (more go out at once, as the next batch). */
export const COALESCE_MAX_BATCH = 100;
/** After a bulk request refused one of its items: single requests in flight at once. */
const ONE_BY_ONE_PARALLELISM = 8;
/** Room left in a bulk body for `{"runs":[…]}` and rounding. */
const BODY_OVERHEAD_BYTES = 1024;

interface Pending {
  item: TriggerItem;
  resolve: (runId: string) => void;
  reject: (err: unknown) => void;
}

export interface CoalescerOptions {
  maxBatch?: number;
  /** When the batch of this tick goes out (default: setImmediate, after the calls of this tick). */
  defer?: (flush: () => void) => void;
}

/**
 * Collects the triggers made in one tick, per workflow, and sends them together: one alone goes to
 * the single-run endpoint as before (nothing waits longer than the tick), several go as one bulk
 * request. Each caller gets its own run id, or its own error: a bulk request refused because of one
 * item (400, 413) stores nothing, and its items are then sent one by one, which is safe because
 * every item carries its idempotency key.
 */
export class TriggerCoalescer {
  private readonly pending = new Map<string, Pending[]>();
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly defer: (flush: () => void) => void;

  constructor(
    private readonly sender: TriggerSender,
    opts: CoalescerOptions = {},
  ) {
    this.maxBatch = Math.max(1, Math.min(opts.maxBatch ?? COALESCE_MAX_BATCH, MAX_BULK_RUNS));
    this.defer = opts.defer ?? ((flush) => void setImmediate(flush));
  }

  trigger(workflow: string, item: TriggerItem): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      let batch = this.pending.get(workflow);
      if (!batch) this.pending.set(workflow, (batch = []));
      batch.push({ item, resolve, reject });
      if (batch.length >= this.maxBatch) {
        this.pending.delete(workflow);
        void this.send(workflow, batch);
      } else if (!this.scheduled) {
        this.scheduled = true;
        this.defer(() => this.flush());
      }
    });
  }

  /** Sends every pending batch now. */
  flush(): void {
    this.scheduled = false;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [workflow, batch] of batches) void this.send(workflow, batch);
  }

  private async send(workflow: string, batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.sendOne(workflow, batch[0]!);
    let ids: string[];
    try {
      ids = await this.sender.many(
        workflow,
        batch.map((p) => p.item),
      );
    } catch (err) {
      if (!refusedForAnItem(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      await mapBounded(batch, ONE_BY_ONE_PARALLELISM, (p) => this.sendOne(workflow, p));
      return;
    }
    batch.forEach((p, i) => p.resolve(ids[i]!));
  }

  private async sendOne(workflow: string, p: Pending): Promise<void> {
    try {
      p.resolve(await this.sender.one(workflow, p.item));
    } catch (err) {
      p.reject(err);
    }
  }
}

/** A bulk request the server refused because of what some item carries (so another item may be fine on its own). */
function refusedForAnItem(err: unknown): boolean {
  return err instanceof WhetstoneApiError && (err.status === 400 || err.status === 413);
}

/**
 * Splits items into bulk requests: at most MAX_BULK_RUNS runs and about `maxBodyBytes` of JSON
 * each (an item bigger than that goes alone, and the server answers 413 for it).
 */
export function bulkChunks<T>(
  items: readonly T[],
  maxBodyBytes = DEFAULT_MAX_PAYLOAD_BYTES,
  maxRuns = MAX_BULK_RUNS,
): Array<{ offset: number; items: T[] }> {
  const budget = Math.max(1, maxBodyBytes - BODY_OVERHEAD_BYTES);
  const chunks: Array<{ offset: number; items: T[] }> = [];
  let current: T[] = [];
  let offset = 0;
  let bytes = 0;
  items.forEach((item, i) => {
    const size = Buffer.byteLength(JSON.stringify(item) ?? '') + 1;
    if (current.length && (current.length >= maxRuns || bytes + size > budget)) {
      chunks.push({ offset, items: current });
      current = [];
      offset = i;
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  });
  if (current.length) chunks.push({ offset, items: current });
  return chunks;
}

/** The server names a bad item by its index in the request (`runs.3.priority: …`): make it its index among all items. */
export function shiftItemIndexes(err: unknown, offset: number): unknown {
  if (!offset || !(err instanceof WhetstoneApiError)) return err;
  return new WhetstoneApiError(
    err.status,
    err.message.replace(/\bruns\.(\d+)/g, (_, n: string) => `runs.${Number(n) + offset}`),
  );
}

/** `fn` over `items` with at most `limit` calls in flight, results in order; rejects with the first failure and starts nothing after it. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
