import { describe, expect, it } from 'vitest';
import { findDagProblem, registerWorkerRequestSchema, taskQueueName } from './contract';

const t = (name: string, parents: string[] = []) => ({ name, parents });

describe('findDagProblem', () => {
  it('accepts a diamond', () => {
    expect(findDagProblem('wf', [t('a'), t('b', ['a']), t('c', ['a']), t('d', ['b', 'c'])])).toBeNull();
  });

  it('names the task with a dangling parent', () => {
    expect(findDagProblem('wf', [t('a'), t('b', ['ghost'])])).toBe(
      "Workflow 'wf': task 'b' has parent 'ghost', which is not a task of this workflow",
    );
  });

  it('names a task in a cycle and shows the cycle', () => {
    const problem = findDagProblem('wf', [t('root'), t('a', ['root', 'c']), t('b', ['a']), t('c', ['b'])]);
    expect(problem).toMatch(/^Workflow 'wf': task '(a|b|c)' is part of a cycle \(/);
    expect(problem).toContain('a -> ');
  });

  it('refuses self-parenting and duplicates', () => {
    expect(findDagProblem('wf', [t('a', ['a'])])).toContain("task 'a' lists itself as a parent");
    expect(findDagProblem('wf', [t('a'), t('a')])).toContain("task 'a' is defined twice");
  });
});

describe('wire schemas', () => {
  it('refuses workflow names that cannot be queue names, saying why', () => {
    const parsed = registerWorkerRequestSchema.safeParse({ name: 'w', workflows: [{ name: 'bad name!', tasks: [t('a')] }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('letters, digits');
  });

  it('derives one queue per action', () => {
    expect(taskQueueName('support-reply', 'draft')).toBe('task.support-reply.draft');
  });
});
