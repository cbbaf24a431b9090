import dagre from '@dagrejs/dagre';

/** Every node is drawn this size, so the layout needs no measuring (and works on the server). */
export const DAG_NODE_WIDTH = 190;
export const DAG_NODE_HEIGHT = 52;

export interface DagLayout {
  /** Top-left corner of each node, by name. */
  positions: Map<string, { x: number; y: number }>;
  /** Parent → child pairs whose both ends exist. */
  edges: Array<{ source: string; target: string }>;
  width: number;
  height: number;
}

/**
 * Left-to-right ranks (roots on the left) computed by dagre. Parents that are
 * not in the list are ignored, so a partial or corrupt DAG still draws.
 */
export function layoutDag(nodes: ReadonlyArray<{ name: string; parents: readonly string[] }>): DagLayout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 56, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const names = new Set(nodes.map((n) => n.name));
  for (const n of nodes) g.setNode(n.name, { width: DAG_NODE_WIDTH, height: DAG_NODE_HEIGHT });
  const edges: DagLayout['edges'] = [];
  for (const n of nodes) {
    for (const parent of new Set(n.parents)) {
      if (!names.has(parent) || parent === n.name) continue;
      g.setEdge(parent, n.name);
      edges.push({ source: parent, target: n.name });
    }
  }
  dagre.layout(g);

  const positions = new Map<string, { x: number; y: number }>();
  let width = 0;
  let height = 0;
  for (const n of nodes) {
    const laid = g.node(n.name);
    // dagre gives centres; xyflow wants top-left corners.
    const x = laid.x - DAG_NODE_WIDTH / 2;
    const y = laid.y - DAG_NODE_HEIGHT / 2;
    positions.set(n.name, { x, y });
    width = Math.max(width, x + DAG_NODE_WIDTH);
    height = Math.max(height, y + DAG_NODE_HEIGHT);
  }
  return { positions, edges, width, height };
}

/** Changes only when a node or an edge is added or removed: the layout is recomputed only then. */
export function dagStructureKey(nodes: ReadonlyArray<{ name: string; parents: readonly string[] }>): string {
  return JSON.stringify(nodes.map((n) => [n.name, [...n.parents].sort()]));
}
