import { describe, expect, it } from 'vitest';
import { descendants, finalRunStatus, readyTasks } from './dag';

const node = (taskName: string, status: string, parents: string[] = []) => ({ taskName, status, parents });

describe('dag', () => {
  it('readies a child only when every parent succeeded', () => {
    const tasks = [node('a', 'SUCCEEDED'), node('b', 'RUNNING'), node('c', 'PENDING', ['a', 'b']), node('d', 'PENDING', ['a'])];
    expect(readyTasks(tasks).map((t) => t.taskName)).toEqual(['d']);
  });

  it('finds every descendant transitively, not siblings', () => {
    const tasks = [node('a', 'x'), node('b', 'x', ['a']), node('c', 'x', ['b']), node('s', 'x')];
    expect(descendants(tasks, 'a').sort()).toEqual(['b', 'c']);
  });

  it('finishes a run only when all tasks are terminal', () => {
    expect(finalRunStatus([node('a', 'SUCCEEDED'), node('b', 'RUNNING')])).toBeNull();
    expect(finalRunStatus([node('a', 'SUCCEEDED'), node('b', 'SUCCEEDED')])).toBe('SUCCEEDED');
    expect(finalRunStatus([node('a', 'FAILED'), node('b', 'SKIPPED')])).toBe('FAILED');
    expect(finalRunStatus([node('a', 'CANCELLED'), node('b', 'SUCCEEDED')])).toBe('CANCELLED');
  });
});
