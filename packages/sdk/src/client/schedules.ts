// Crons and one-off schedules over REST (Hatchet v1's `wf.cron()`, `wf.schedule()`, `wf.delay()`).
// The Workflow class exposes these per workflow; `ScheduleClient` is the shared implementation.
import {
  deleteScheduleResponseSchema,
  scheduleInfoSchema,
  scheduleListResponseSchema,
  type ScheduleInfo,
  type ScheduleKind,
  type ScheduleSource,
} from '../contract/schedules-contract.js';
import type { HttpClient } from './http.js';

export interface ScheduleOptions {
  additionalMetadata?: Record<string, string>;
  /** 1 (default) to 3 (most urgent); defaults to the workflow's defaultPriority. */
  priority?: number;
}

/** A cron or a one-off schedule, as the server stores it. Times are UTC `Date`s. */
export interface Schedule {
  id: string;
  workflow: string;
  kind: ScheduleKind;
  /** `DEFINITION`: declared in code (`on: { cron }`), `API`: created at runtime. */
  source: ScheduleSource;
  /** Crons: the name (a declared cron is named by its expression). One-offs: null. */
  name: string | null;
  expression: string | null;
  /** One-offs: when it runs. */
  runAt: Date | null;
  input: unknown;
  additionalMetadata: Record<string, string> | null;
  priority: number | null;
  /** The next time it fires; null for a one-off that already fired. */
  nextRunAt: Date | null;
  lastFiredAt: Date | null;
  firedAt: Date | null;
  createdAt: Date;
}

const date = (iso: string | null) => (iso === null ? null : new Date(iso));

function toSchedule(info: ScheduleInfo): Schedule {
  return {
    ...info,
    runAt: date(info.runAt),
    nextRunAt: date(info.nextRunAt),
    lastFiredAt: date(info.lastFiredAt),
    firedAt: date(info.firedAt),
    createdAt: new Date(info.createdAt),
  };
}

const path = (...segments: string[]) => `/api/v1/${segments.map(encodeURIComponent).join('/')}`;

/** The schedules API of one Whetstone client. Every method that concerns a workflow takes its name first. */
export class ScheduleClient {
  constructor(private readonly http: HttpClient) {}

  /**
   * Runs the workflow on a cron expression (UTC): 5 fields `minute hour day-of-month month day-of-week`,
   * or 6 with seconds first. A second call with the same name replaces that cron.
   */
  async cron(workflow: string, name: string, expression: string, input: unknown = {}, opts: ScheduleOptions = {}): Promise<Schedule> {
    const info = await this.http.request('POST', path('workflows', workflow, 'crons'), scheduleInfoSchema, {
      name,
      expression,
      input: input ?? {},
      additionalMetadata: opts.additionalMetadata,
      priority: opts.priority,
    });
    return toSchedule(info);
  }

  /** The workflow's crons, declared in code and created at runtime, each with its `nextRunAt`. */
  async listCrons(workflow: string): Promise<Schedule[]> {
    const { schedules } = await this.http.request('GET', path('workflows', workflow, 'crons'), scheduleListResponseSchema, undefined, {
      retry: true,
    });
    return schedules.map(toSchedule);
  }

  /** Deletes a cron created at runtime (a declared one is removed from the code). 404 if there is none. */
  async deleteCron(workflow: string, name: string): Promise<void> {
    await this.http.request('DELETE', path('workflows', workflow, 'crons', name), deleteScheduleResponseSchema);
  }

  /** One run at `at` (must be in the future). */
  async schedule(workflow: string, at: Date, input: unknown = {}, opts: ScheduleOptions = {}): Promise<Schedule> {
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError(`schedule() needs a valid Date, got ${String(at)}`);
    return this.createOneOff(workflow, { runAt: at.toISOString() }, input, opts);
  }

  /** One run `seconds` from now (must be more than 0). */
  async delay(workflow: string, seconds: number, input: unknown = {}, opts: ScheduleOptions = {}): Promise<Schedule> {
    return this.createOneOff(workflow, { delaySeconds: seconds }, input, opts);
  }

  /** The workflow's one-off schedules, those still to run first. */
  async listSchedules(workflow: string): Promise<Schedule[]> {
    const { schedules } = await this.http.request('GET', path('workflows', workflow, 'schedules'), scheduleListResponseSchema, undefined, {
      retry: true,
    });
    return schedules.map(toSchedule);
  }

  /** Deletes a one-off schedule (or a runtime cron) by id. 404 if there is none. */
  async deleteSchedule(id: string): Promise<void> {
    await this.http.request('DELETE', path('schedules', id), deleteScheduleResponseSchema);
  }

  /** Every schedule of the project, optionally of one kind or one workflow. */
  async listAll(filter: { kind?: ScheduleKind; workflow?: string } = {}): Promise<Schedule[]> {
    const query = new URLSearchParams();
    if (filter.kind) query.set('kind', filter.kind);
    if (filter.workflow) query.set('workflow', filter.workflow);
    const suffix = query.size ? `?${query}` : '';
    const { schedules } = await this.http.request('GET', `${path('schedules')}${suffix}`, scheduleListResponseSchema, undefined, {
      retry: true,
    });
    return schedules.map(toSchedule);
  }

  /** Every schedule of the project (same as listAll). */
  list(filter: { kind?: ScheduleKind; workflow?: string } = {}): Promise<Schedule[]> {
    return this.listAll(filter);
  }

  /** Deletes a schedule by id (a cron declared in code cannot be deleted: remove it from the code). */
  delete(id: string): Promise<void> {
    return this.deleteSchedule(id);
  }

  private async createOneOff(
    workflow: string,
    when: { runAt: string } | { delaySeconds: number },
    input: unknown,
    opts: ScheduleOptions,
  ): Promise<Schedule> {
    const info = await this.http.request('POST', path('workflows', workflow, 'schedules'), scheduleInfoSchema, {
      ...when,
      input: input ?? {},
      additionalMetadata: opts.additionalMetadata,
      priority: opts.priority,
    });
    return toSchedule(info);
  }
}
