import { describe, expect, it } from 'vitest';
import { asStepResult, durableJobId, isDurableTask } from './job';
import { workflowDefinitionSchema } from '@whetstone/sdk/contract';

describe('durable task jobs', () => {
  it('names the first execution of an attempt like any task job, and each resume after it', () => {
    expect(durableJobId('t1', 1, 0)).toBe('t1-a1');
    expect(durableJobId('t1', 1, 1)).toBe('t1-a1-r1');
    expect(durableJobId('t1', 3, 2)).toBe('t1-a3-r2');
  });

  it('reads stored results defensively', () => {
    expect(asStepResult({ value: { a: 1 } })).toEqual({ value: { a: 1 } });
    expect(asStepResult({ value: null })).toEqual({ value: null });
    expect(asStepResult({ error: 'boom' })).toEqual({ error: 'boom' });
    expect(asStepResult(null)).toEqual({ value: null });
    expect(asStepResult([1])).toEqual({ value: null });
  });

  it('knows which tasks are durable from the definition', () => {
    const definition = workflowDefinitionSchema.parse({ name: 'wf', tasks: [{ name: 'plain' }, { name: 'nap', durable: true }] });
    expect(isDurableTask(definition, 'nap')).toBe(true);
    expect(isDurableTask(definition, 'plain')).toBe(false);
    expect(isDurableTask(definition, 'missing')).toBe(false);
  });
});
