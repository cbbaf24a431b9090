import { describe, expect, it } from 'vitest';
import { Workflow, type RunClient } from './workflow';

const client: RunClient = {
  triggerRun: async () => 'run-1',
  waitForRun: async () => ({ id: 'run-1', workflow: 'wf', status: 'FAILED', error: 'boom' }),
};

describe('Workflow definitions', () => {
  it('produces the wire definition with parent names', () => {
    const wf = new Workflow(client, { name: 'wf' });
    const a = wf.task({ name: 'a', fn: () => 1 });
    wf.task({ name: 'b', parents: [a], fn: () => 2 });
    expect(wf.definition()).toEqual({ name: 'wf', description: undefined, kind: 'workflow', tasks: [{ name: 'a', parents: [] }, { name: 'b', parents: ['a'] }] });
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
