import { describe, expect, it } from 'vitest';
import { countByStatus, durationMs, topoSortTasks } from './view';

const t = (taskName: string, parents: string[] = []) => ({ taskName, parents });
const names = (xs: Array<{ taskName: string; depth: number }>) => xs.map((x) => `${x.taskName}@${x.depth}`);

describe('topoSortTasks', () => {
  it('puts parents before children and keeps input order among ready tasks', () => {
    // created out of order: children rows may be inserted before parents
    const tasks = [t('review', ['draft']), t('draft', ['fetch', 'classify']), t('fetch'), t('classify')];
    expect(names(topoSortTasks(tasks))).toEqual(['fetch@0', 'classify@0', 'draft@1', 'review@2']);
  });
  it('depth is the longest path from a root', () => {
    const tasks = [t('a'), t('b', ['a']), t('c', ['b']), t('d', ['a', 'c'])];
    expect(names(topoSortTasks(tasks))).toEqual(['a@0', 'b@1', 'c@2', 'd@3']);
  });
  it('ignores unknown parents, duplicates and self references', () => {
    const tasks = [t('x', ['ghost', 'x']), t('y', ['x', 'x'])];
    expect(names(topoSortTasks(tasks))).toEqual(['x@0', 'y@1']);
  });
  it('keeps tasks caught in a cycle instead of dropping them', () => {
    const tasks = [t('root'), t('p', ['q']), t('q', ['p'])];
    expect(names(topoSortTasks(tasks))).toEqual(['root@0', 'p@0', 'q@0']);
  });
  it('keeps the other fields', () => {
    expect(topoSortTasks([{ taskName: 'a', parents: [], status: 'RUNNING' }])[0]).toEqual({
      taskName: 'a',
      parents: [],
      status: 'RUNNING',
      depth: 0,
    });
  });
  it('handles an empty run', () => expect(topoSortTasks([])).toEqual([]));
});

describe('durationMs', () => {
  const a = new Date('2026-01-01T00:00:00Z');
  const b = new Date('2026-01-01T00:00:01.250Z');
  it('is finish minus start', () => expect(durationMs(a, b)).toBe(1250));
  it('is null until both are known', () => {
    expect(durationMs(null, b)).toBeNull();
    expect(durationMs(a, null)).toBeNull();
  });
});

it('countByStatus fills every status', () => {
  expect(
    countByStatus([
      { status: 'FAILED', count: 2 },
      { status: 'QUEUED', count: 5 },
    ]),
  ).toEqual({
    QUEUED: 5,
    RUNNING: 0,
    SUCCEEDED: 0,
    FAILED: 2,
    CANCELLED: 0,
  });
});
