import { describe, expect, it } from 'vitest';
import type { HttpClient, HttpMethod } from './http';
import { ScheduleClient } from './schedules';

const info = (over: Record<string, unknown> = {}) => ({
  id: '0190a1b2-0000-7000-8000-000000000001',
  workflow: 'report',
  kind: 'CRON',
  source: 'API',
  name: 'nightly',
  expression: '0 0 * * *',
  runAt: null,
  input: {},
  additionalMetadata: null,
  priority: null,
  nextRunAt: '2030-01-01T00:00:00.000Z',
  lastFiredAt: null,
  firedAt: null,
  createdAt: '2029-12-31T12:00:00.000Z',
  ...over,
});

function fakeHttp(answer: unknown) {
  const calls: { method: HttpMethod; path: string; body?: unknown }[] = [];
  const http: HttpClient = {
    async request(method, path, schema, body) {
      calls.push({ method, path, body });
      return schema.parse(answer);
    },
  };
  return { http, calls };
}

describe('ScheduleClient', () => {
  it('creates a cron with its options and returns Dates', async () => {
    const { http, calls } = fakeHttp(info());
    const cron = await new ScheduleClient(http).cron(
      'report',
      'nightly',
      '0 0 * * *',
      { full: true },
      { priority: 2, additionalMetadata: { team: 'a' } },
    );
    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/api/v1/workflows/report/crons',
        body: { name: 'nightly', expression: '0 0 * * *', input: { full: true }, priority: 2, additionalMetadata: { team: 'a' } },
      },
    ]);
    expect(cron.nextRunAt).toEqual(new Date('2030-01-01T00:00:00.000Z'));
    expect(cron.createdAt).toBeInstanceOf(Date);
    expect(cron.runAt).toBeNull();
  });

  it('schedules at a date, or after a delay', async () => {
    const { http, calls } = fakeHttp(info({ kind: 'ONCE', name: null, expression: null, runAt: '2030-01-01T00:00:00.000Z' }));
    const client = new ScheduleClient(http);
    const at = new Date('2030-01-01T00:00:00Z');
    expect((await client.schedule('report', at, { x: 1 })).runAt).toEqual(at);
    await client.delay('report', 30);
    expect(
      calls.map((c) => [c.method, c.path, (c.body as Record<string, unknown>).runAt ?? (c.body as Record<string, unknown>).delaySeconds]),
    ).toEqual([
      ['POST', '/api/v1/workflows/report/schedules', '2030-01-01T00:00:00.000Z'],
      ['POST', '/api/v1/workflows/report/schedules', 30],
    ]);
    await expect(client.schedule('report', new Date('nope'))).rejects.toThrow(TypeError);
  });

  it('lists and deletes with encoded path segments', async () => {
    const { http, calls } = fakeHttp({ schedules: [info()] });
    const client = new ScheduleClient(http);
    expect((await client.listCrons('report'))[0]!.name).toBe('nightly');
    await client.listSchedules('report');
    await client.listAll({ kind: 'CRON', workflow: 'report' });
    const del = fakeHttp({ deleted: true, id: 'x' });
    await new ScheduleClient(del.http).deleteCron('report', '0 9 * * *');
    await new ScheduleClient(del.http).deleteSchedule('abc');
    expect([...calls, ...del.calls].map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/v1/workflows/report/crons',
      'GET /api/v1/workflows/report/schedules',
      'GET /api/v1/schedules?kind=CRON&workflow=report',
      'DELETE /api/v1/workflows/report/crons/0%209%20*%20*%20*',
      'DELETE /api/v1/schedules/abc',
    ]);
  });
});
