import type { z } from 'zod';
import { errorBodySchema } from './contract.js';

/** A request the server refused; `status` is the HTTP status (401 wrong key, 400 invalid definition, …). */
export class WhetstoneApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'WhetstoneApiError';
  }
}

export interface HttpClient {
  request<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T>;
}

export function createHttpClient(apiUrl: string, apiKey: string): HttpClient {
  const base = apiUrl.replace(/\/+$/, '');
  return {
    async request(method, path, schema, body) {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (cause) {
        throw new WhetstoneApiError(0, `Cannot reach the Whetstone server at ${base} (${(cause as Error).message}). Is it running, and is WHETSTONE_API_URL right?`);
      }
      const text = await response.text();
      const json = text ? safeJson(text) : undefined;
      if (!response.ok) {
        const parsed = errorBodySchema.safeParse(json);
        const detail = parsed.success ? parsed.data.error : text.slice(0, 300) || response.statusText;
        throw new WhetstoneApiError(response.status, `${method} ${path} failed with ${response.status}: ${detail}`);
      }
      return schema.parse(json);
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
