// Project-wide rate limits (Hatchet v1's `hatchet.ratelimits.upsert`). A task takes units of one
// with `rateLimits: [{ staticKey: 'openai', units: 1 }]`; the engine starts no more than `limit`
// units in any window of `duration` (a sliding window), over all workers.
import { z } from 'zod';
import { rateLimitSchema, upsertRateLimitRequestSchema, type RateLimitDuration } from '../contract.js';
import type { HttpClient } from './http.js';

export interface UpsertRateLimitOptions {
  key: string;
  /** Units that may start in any window of `duration`. */
  limit: number;
  /** 'SECOND' (default), 'MINUTE', 'HOUR' or 'DAY'. */
  duration?: RateLimitDuration;
}

export interface RateLimit {
  key: string;
  limit: number;
  duration: RateLimitDuration;
  updatedAt: Date;
}

const listResponseSchema = z.object({ rateLimits: z.array(rateLimitSchema) });

const toRateLimit = (info: z.infer<typeof rateLimitSchema>): RateLimit => ({ ...info, updatedAt: new Date(info.updatedAt) });

export class RateLimitsClient {
  constructor(private readonly http: HttpClient) {}

  /** Creates the limit, or changes the one with this key. Reservations already made keep their times. */
  async upsert(opts: UpsertRateLimitOptions): Promise<RateLimit> {
    const parsed = upsertRateLimitRequestSchema.safeParse(opts);
    if (!parsed.success) throw new Error(`ws.ratelimits.upsert: ${z.prettifyError(parsed.error)}`);
    // Safe to resend: an upsert of the same values changes nothing.
    return toRateLimit(await this.http.request('POST', '/api/v1/ratelimits', rateLimitSchema, parsed.data, { retry: true }));
  }

  /** Every rate limit of the project, by key. */
  async list(): Promise<RateLimit[]> {
    const { rateLimits } = await this.http.request('GET', '/api/v1/ratelimits', listResponseSchema, undefined, { retry: true });
    return rateLimits.map(toRateLimit);
  }
}
