// Pushes runs 1..N at a steady rate, each with idempotency key `chaos-<seq>`. The SDK already
// retries a keyed trigger for ~30 s on 5xx or an unreachable server; when it gives up, the push
// is retried here with the same key (so the server can never start it twice) until it succeeds
// or the run is over. No seq is dropped silently: each failure is counted and summarised.
import type { Workflow } from '@whetstone/sdk';
import { sleep, type Log } from './procs';

export interface PushResult {
  /** runId the server answered, by seq (missing: never accepted). */
  runIds: Map<number, string>;
  /** Triggers the SDK gave up on and this script sent again. */
  retries: number;
  /** Seqs that needed at least one retry. */
  retriedSeqs: number;
  /** Distinct error messages and how often. */
  errors: Map<string, number>;
  /** Seqs still not accepted when the push was abandoned (deadline or Ctrl-C). */
  abandoned: number[];
  /** From the first push to the last accepted one. */
  wallMs: number;
}

export interface Pusher {
  /** Resolves when every seq has been accepted (or abandoned). */
  done: Promise<PushResult>;
  /** Gives up on seqs still retrying. */
  abandon(): void;
}

export function pushRuns(wf: Workflow<{ seq: number }>, opts: { runs: number; rate: number; t0: number; log: Log }): Pusher {
  const result: PushResult = { runIds: new Map(), retries: 0, retriedSeqs: 0, errors: new Map(), abandoned: [], wallMs: 0 };
  let abandoned = false;
  // Failures are summarised once per 2 s instead of one line each (a Postgres restart fails hundreds).
  let recent = 0;
  const reporter = setInterval(() => {
    if (!recent) return;
    opts.log(
      `push: ${recent} trigger(s) failed after the SDK's own retries in the last 2 s; retrying them with the same idempotency key (${result.runIds.size}/${opts.runs} accepted)`,
    );
    recent = 0;
  }, 2_000);

  const pushOne = async (seq: number): Promise<void> => {
    let retried = false;
    for (;;) {
      try {
        const ref = await wf.runNoWait({ seq }, { idempotencyKey: `chaos-${seq}`, additionalMetadata: { seq: String(seq) } });
        result.runIds.set(seq, ref.runId);
        return;
      } catch (err) {
        if (abandoned) {
          result.abandoned.push(seq);
          return;
        }
        const message = (err as Error).message.replace(/\d+/g, 'N').slice(0, 200);
        result.errors.set(message, (result.errors.get(message) ?? 0) + 1);
        result.retries++;
        recent++;
        if (!retried) result.retriedSeqs++;
        retried = true;
        await sleep(1_000);
        if (abandoned) {
          result.abandoned.push(seq);
          return;
        }
      }
    }
  };

  const done = (async () => {
    const pending: Promise<void>[] = [];
    const interval = 1000 / opts.rate;
    for (let seq = 1; seq <= opts.runs; seq++) {
      if (abandoned) {
        result.abandoned.push(seq);
        continue;
      }
      const wait = opts.t0 + (seq - 1) * interval - Date.now();
      if (wait > 0) await sleep(wait);
      pending.push(pushOne(seq));
    }
    await Promise.all(pending);
    clearInterval(reporter);
    if (recent) opts.log(`push: ${recent} more trigger(s) failed and were retried`);
    result.wallMs = Date.now() - opts.t0;
    result.abandoned.sort((a, b) => a - b);
    return result;
  })();

  return {
    done,
    abandon() {
      abandoned = true;
    },
  };
}
