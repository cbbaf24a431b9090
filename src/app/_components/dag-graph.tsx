'use client';

import type { ReactNode } from 'react';

/** One task of a DAG, as the graph draws it. */
export interface DagGraphNode {
  name: string;
  parents: string[];
  /** Task status (PENDING … SKIPPED) colours the node; none for a definition preview. */
  status?: string;
  /** Extra line under the name (duration, attempts…). */
  detail?: ReactNode;
}

export interface DagGraphProps {
  nodes: DagGraphNode[];
  /** Called with the node's name when it is clicked. */
  onSelect?: (name: string) => void;
  /** Pixel height of the canvas (default 320). */
  height?: number;
  /** data-testid of each node is `${testIdPrefix}-${name}` (default 'graph-node'). */
  testIdPrefix?: string;
}

/** Placeholder until the graph is drawn with @xyflow/react and an automatic layout. */
export function DagGraph({ nodes, onSelect, testIdPrefix = 'graph-node' }: DagGraphProps) {
  return (
    <ol className="dag-graph-fallback">
      {nodes.map((n) => (
        <li key={n.name} data-testid={`${testIdPrefix}-${n.name}`} onClick={() => onSelect?.(n.name)}>
          {n.name}
          {n.detail}
        </li>
      ))}
    </ol>
  );
}
