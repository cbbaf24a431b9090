import { describe, expect, it } from 'vitest';
import { dagStructureKey, DAG_NODE_WIDTH, layoutDag } from './dag-layout';

describe('layoutDag', () => {
  it('puts every child to the right of its parents (left-to-right ranks)', () => {
    const layout = layoutDag([
      { name: 'fetch', parents: [] },
      { name: 'classify', parents: [] },
      { name: 'draft', parents: ['fetch', 'classify'] },
      { name: 'review', parents: ['draft'] },
    ]);
    const x = (n: string) => layout.positions.get(n)!.x;
    expect(x('draft')).toBeGreaterThanOrEqual(x('fetch') + DAG_NODE_WIDTH);
    expect(x('draft')).toBeGreaterThanOrEqual(x('classify') + DAG_NODE_WIDTH);
    expect(x('review')).toBeGreaterThanOrEqual(x('draft') + DAG_NODE_WIDTH);
    expect(layout.positions.get('fetch')!.y).not.toBe(layout.positions.get('classify')!.y);
    expect(layout.edges).toEqual([
      { source: 'fetch', target: 'draft' },
      { source: 'classify', target: 'draft' },
      { source: 'draft', target: 'review' },
    ]);
    expect(layout.width).toBeGreaterThanOrEqual(3 * DAG_NODE_WIDTH);
  });

  it('ignores unknown parents and self loops instead of failing', () => {
    const layout = layoutDag([
      { name: 'a', parents: ['ghost', 'a'] },
      { name: 'b', parents: ['a', 'a'] },
    ]);
    expect(layout.edges).toEqual([{ source: 'a', target: 'b' }]);
    expect(layout.positions.size).toBe(2);
  });

  it('draws an empty graph', () => {
    expect(layoutDag([])).toMatchObject({ width: 0, height: 0, edges: [] });
  });
});

describe('dagStructureKey', () => {
  it('ignores statuses and parent order, changes with nodes and edges', () => {
    const a = dagStructureKey([{ name: 'x', parents: ['p', 'q'], status: 'RUNNING' } as { name: string; parents: string[] }]);
    expect(dagStructureKey([{ name: 'x', parents: ['q', 'p'] }])).toBe(a);
    expect(dagStructureKey([{ name: 'x', parents: ['q'] }])).not.toBe(a);
  });
});
