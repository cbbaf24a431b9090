import type { z } from 'zod';
import { errorBodySchema } from '../contract.js';

/** A request the server refused; `status` is the HTTP status (401 wrong key, 400 invalid definition, …), 0 when unreachable. */
export class WhetstoneApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'WhetstoneApiError';
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  /**
   * Safe to send again (reads, and writes carrying an idempotency key): retried with backoff when
   * the server is unreachable or answers 500/502/503/504, e.g. while its database restarts.
   */
  retry?: boolean;
}

export interface HttpClient {
  request<T>(method: HttpMethod, path: string, schema: z.ZodType<T>, body?: unknown, opts?: RequestOptions): Promise<T>;
}

/** Backoff between retries of a retryable request: about 30 s in all. */
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 8000, 8000];
const RETRYABLE_STATUS = new Set([0, 500, 502, 503, 504]);

export function createHttpClient(apiUrl: string, apiKey: string): HttpClient {
  const base = apiUrl.replace(/\/+$/, '');
  const once = async <T>(method: HttpMethod, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      throw new WhetstoneApiError(
        0,
        `Cannot reach the Whetstone server at ${base} (${(cause as Error).message}). Is it running, and is WHETSTONE_API_URL right?`,
      );
    }
    const text = await response.text();
    const json = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const parsed = errorBodySchema.safeParse(json);
      const detail = parsed.success ? parsed.data.error : text.slice(0, 300) || response.statusText;
      throw new WhetstoneApiError(response.status, `${method} ${path} failed with ${response.status}: ${detail}`);
    }
    return schema.parse(json);
  };
  return {
    async request(method, path, schema, body, opts = {}) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await once(method, path, schema, body);
        } catch (err) {
          const retryable = opts.retry && err instanceof WhetstoneApiError && RETRYABLE_STATUS.has(err.status);
          if (!retryable || attempt >= RETRY_DELAYS_MS.length) throw err;
          await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
        }
      }
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
