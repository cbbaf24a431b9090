import { describe, expect, it } from 'vitest';
import type { RunClient } from '../client/client.interface';
import { Workflow } from './workflow';

const client: RunClient = {
  triggerRun: async () => 'run-1',
  waitForRun: async () => ({ id: 'run-1', workflow: 'wf', status: 'FAILED', error: 'boom' }),
  getRun: async () => ({ id: 'run-1', workflow: 'wf', status: 'FAILED', error: 'boom' }),
  cancelRun: async () => ({ id: 'run-1', workflow: 'wf', status: 'CANCELLED', error: null }),
};

describe('Workflow definitions', () => {
  it('produces the wire definition with parent names', () => {
    const wf = new Workflow(client, { name: 'wf' });
    const a = wf.task({ name: 'a', fn: () => 1 });
    wf.task({ name: 'b', parents: [a], fn: () => 2 });
    const defaults = { retries: 0, backoff: undefined, executionTimeout: '60s', scheduleTimeout: '5m' };
    expect(wf.definition()).toEqual({
      name: 'wf',
      description: undefined,
      kind: 'workflow',
      tasks: [
        { name: 'a', parents: [], ...defaults },
        { name: 'b', parents: ['a'], ...defaults },
      ],
      onFailure: undefined,
      onEvents: [],
      onCrons: [],
      defaultPriority: 1,
      inputSchema: undefined,
    });
  });

  it('carries task policies, triggers and the input schema into the definition', () => {
    const wf = new Workflow(client, {
      name: 'wf',
      on: { event: 'ticket:*', cron: '*/15 * * * *' },
      onEvents: ['user:created'],
      defaultPriority: 2,
    });
    wf.task({
      name: 'a',
      retries: 3,
      backoff: { factor: 2, maxSeconds: 30 },
      executionTimeout: '1h30m',
      scheduleTimeout: '10s',
      fn: () => 1,
    });
    wf.onFailure({ name: 'alert', retries: 1, fn: () => 1 });
    const definition = wf.definition();
    expect(definition.tasks[0]).toEqual({
      name: 'a',
      parents: [],
      retries: 3,
      backoff: { factor: 2, maxSeconds: 30 },
      executionTimeout: '1h30m',
      scheduleTimeout: '10s',
    });
    expect(definition.onFailure).toEqual({ name: 'alert', retries: 1, backoff: undefined, executionTimeout: '60s', scheduleTimeout: '5m' });
    expect(definition.onEvents).toEqual(['ticket:*', 'user:created']);
    expect(definition.onCrons).toEqual(['*/15 * * * *']);
    expect(definition.defaultPriority).toBe(2);
    expect(wf.taskNames()).toEqual(['a', 'alert']);
  });

  it('refuses bad policies, priorities and a second onFailure task', () => {
    const wf = new Workflow(client, { name: 'wf' });
    expect(() => wf.task({ name: 'a', backoff: { factor: 0, maxSeconds: 1 }, fn: () => 1 })).toThrow(
      /backoff.factor must be a number from 1 to 10/,
    );
    expect(() => wf.task({ name: 'a', scheduleTimeout: '5', fn: () => 1 })).toThrow(/scheduleTimeout: Invalid duration "5"/);
    expect(() => new Workflow(client, { name: 'w', defaultPriority: 4 as 1 })).toThrow(/must be 1, 2 or 3/);
    wf.onFailure({ name: 'alert', fn: () => 1 });
    expect(() => wf.onFailure({ name: 'alert2', fn: () => 1 })).toThrow(/already has an onFailure task \('alert'\)/);
  });

  it('refuses invalid names, duplicate tasks and parents from another workflow', () => {
    expect(() => new Workflow(client, { name: 'has space' })).toThrow(/Invalid workflow name "has space"/);
    const wf = new Workflow(client, { name: 'wf' });
    wf.task({ name: 'a', fn: () => 1 });
    expect(() => wf.task({ name: 'a', fn: () => 1 })).toThrow("Workflow 'wf' already has a task named 'a'");
    const other = new Workflow(client, { name: 'other' }).task({ name: 'x', fn: () => 1 });
    expect(() => wf.task({ name: 'b', parents: [other], fn: () => 1 })).toThrow(/parent 'x' from workflow 'other'/);
  });

  it('rejects result() with the run error when the run failed', async () => {
    const wf = new Workflow(client, { name: 'wf' });
    await expect(wf.run({})).rejects.toThrow('Run run-1 FAILED: boom');
  });
});
