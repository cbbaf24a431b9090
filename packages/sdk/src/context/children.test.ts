import { describe, expect, it } from 'vitest';
import { ChildSpawner, type TriggerRunOptions } from './children.js';
import type { RunRef, Workflow } from '../workflow/workflow.js';

/** A workflow stand-in recording each trigger; its children succeed with `out-<input>` unless `fail` says otherwise. */
function fakeWorkflow(name: string, opts: { fail?: (input: unknown) => string | undefined; triggerDelayMs?: number } = {}) {
  const triggers: Array<{ input: unknown; opts: TriggerRunOptions }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const workflow = {
    name,
    async runNoWait(input: unknown, runOpts: TriggerRunOptions) {
      triggers.push({ input, opts: runOpts });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, opts.triggerDelayMs ?? 0));
      inFlight--;
      const failure = opts.fail?.(input);
      return {
        runId: `run-${triggers.length}`,
        result: () => (failure ? Promise.reject(new Error(failure)) : Promise.resolve(`out-${String(input)}`)),
      } as unknown as RunRef<string>;
    },
  };
  return { workflow: workflow as unknown as Workflow<unknown, string>, triggers, maxInFlight: () => maxInFlight };
}

const ctx = (signal = new AbortController().signal) => ({
  taskRunId: '0190c0de-0000-7000-8000-00000000000a',
  taskName: 'fan-out',
  abortSignal: signal,
});

describe('ChildSpawner', () => {
  it('keys children by their index within the attempt, in call order, and links them to the task run', async () => {
    const fake = fakeWorkflow('child');
    const spawner = new ChildSpawner(ctx());
    const outputs = await Promise.all([spawner.run(fake.workflow, 'a'), spawner.run(fake.workflow, 'b', { priority: 3 })]);
    expect(outputs).toEqual(['out-a', 'out-b']);
    expect(fake.triggers.map((t) => [t.input, t.opts.parent])).toEqual([
      ['a', { taskRunId: ctx().taskRunId, key: '0' }],
      ['b', { taskRunId: ctx().taskRunId, key: '1' }],
    ]);
    expect(fake.triggers[1]!.opts.priority).toBe(3);
    // Metadata is left to the server (the parent run's) unless given.
    expect(fake.triggers[0]!.opts.additionalMetadata).toBeUndefined();
  });

  it('a second spawner (the retried attempt) numbers from 0 again; an explicit key is used as given', async () => {
    const fake = fakeWorkflow('child');
    await new ChildSpawner(ctx()).runNoWait(fake.workflow, 'x');
    const retry = new ChildSpawner(ctx());
    await retry.runNoWait(fake.workflow, 'x');
    await retry.runNoWait(fake.workflow, 'y', { key: 'summary', additionalMetadata: { tenant: 't1' } });
    expect(fake.triggers.map((t) => t.opts.parent?.key)).toEqual(['0', '0', 'summary']);
    expect(fake.triggers[2]!.opts.additionalMetadata).toEqual({ tenant: 't1' });
  });

  it('refuses digit-only or empty keys and things that are not workflows, with the task named', async () => {
    const fake = fakeWorkflow('child');
    const spawner = new ChildSpawner(ctx());
    await expect(spawner.runNoWait(fake.workflow, 1, { key: '7' })).rejects.toThrow(
      /Child run 0 of task 'fan-out': key "7" is made of digits only/,
    );
    await expect(spawner.runNoWait(fake.workflow, 1, { key: '' })).rejects.toThrow(/key must be a string of 1 to 200 characters/);
    await expect(spawner.runNoWait('child' as unknown as Workflow<unknown, string>, 1)).rejects.toThrow(
      /expected a workflow or task created with ws.workflow\(\) or ws.task\(\), got "child"/,
    );
    expect(fake.triggers).toEqual([]);
  });

  it('bulk: outputs in order, at most 8 triggers in flight, keys 0..n-1', async () => {
    const fake = fakeWorkflow('child', { triggerDelayMs: 5 });
    const spawner = new ChildSpawner(ctx());
    const inputs = Array.from({ length: 20 }, (_, i) => i);
    const outputs = await spawner.runAll(inputs.map((input) => ({ workflow: fake.workflow, input })));
    expect(outputs).toEqual(inputs.map((i) => `out-${i}`));
    expect(fake.triggers.map((t) => t.opts.parent?.key).sort((a, b) => Number(a) - Number(b))).toEqual(inputs.map(String));
    expect(fake.maxInFlight()).toBeLessThanOrEqual(8);
    expect(fake.maxInFlight()).toBeGreaterThan(1);
  });

  it('bulk rejects with the first failed child, like Promise.all', async () => {
    const fake = fakeWorkflow('child', { fail: (input) => (input === 2 ? 'child 2 broke' : undefined) });
    const spawner = new ChildSpawner(ctx());
    await expect(spawner.runAll([0, 1, 2, 3].map((input) => ({ workflow: fake.workflow, input })))).rejects.toThrow('child 2 broke');
  });

  it('an aborted attempt starts no child and stops waiting', async () => {
    const fake = fakeWorkflow('child');
    const abort = new AbortController();
    const spawner = new ChildSpawner(ctx(abort.signal));
    abort.abort(new Error('timed out'));
    await expect(spawner.run(fake.workflow, 'late')).rejects.toThrow('timed out');
    expect(fake.triggers).toEqual([]);
  });
});
