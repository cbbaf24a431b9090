import {
  eventDetailSchema,
  listEventsResponseSchema,
  pushEventResponseSchema,
  replayEventResponseSchema,
  type EventDetail,
  type ListEventsResponse,
  type PushEventResponse,
  type ReplayEventResponse,
} from '../contract/events-contract.js';
import type { HttpClient } from './http.js';

export interface PushEventOptions {
  /** Copied into the additionalMetadata of every run the event starts. */
  additionalMetadata?: Record<string, string>;
}

export interface ListEventsOptions {
  /** Only events with exactly this key. */
  key?: string;
  /** 1-100, default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * `ws.events`: durable events that start every workflow whose `onEvents` pattern matches
 * their key (Hatchet v1's `hatchet.events`). Failures throw `WhetstoneApiError`
 * (400 invalid key, 404 unknown event, 413 payload over the server's limit).
 */
export class EventsClient {
  constructor(private readonly http: HttpClient) {}

  /**
   * Stores the event, then starts one run per workflow whose `onEvents` matches `key`, with
   * `payload` as its input. Resolves once the event is stored and its runs created (not finished).
   * Not retried on a server error: a retry would store the event twice (an event the server stored
   * has its runs started by the server's recovery even if this call fails).
   */
  async push<P = unknown>(key: string, payload: P, opts: PushEventOptions = {}): Promise<PushEventResponse> {
    return this.http.request('POST', '/api/v1/events', pushEventResponseSchema, {
      key,
      payload: payload === undefined ? {} : payload,
      additionalMetadata: opts.additionalMetadata,
    });
  }

  /** Events of the project, newest first; page with `cursor: page.nextCursor`. */
  async list(opts: ListEventsOptions = {}): Promise<ListEventsResponse> {
    const query = new URLSearchParams();
    if (opts.key !== undefined) query.set('key', opts.key);
    if (opts.limit !== undefined) query.set('limit', String(opts.limit));
    if (opts.cursor !== undefined) query.set('cursor', opts.cursor);
    const qs = query.toString();
    return this.http.request('GET', `/api/v1/events${qs ? `?${qs}` : ''}`, listEventsResponseSchema, undefined, { retry: true });
  }

  /** One event with the ids of the runs it started. */
  async get(eventId: string): Promise<EventDetail> {
    return this.http.request('GET', `/api/v1/events/${encodeURIComponent(eventId)}`, eventDetailSchema, undefined, { retry: true });
  }

  /**
   * Pushes the event again as a new event (`replayOfId` = `eventId`) with the same key, payload and
   * metadata, starting new runs of the workflows that match it now.
   */
  async replay(eventId: string): Promise<ReplayEventResponse> {
    return this.http.request('POST', `/api/v1/events/${encodeURIComponent(eventId)}/replay`, replayEventResponseSchema, {});
  }
}
