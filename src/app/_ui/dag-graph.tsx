'use client';

import '@xyflow/react/dist/style.css';
import { Background, Controls, Handle, Position, ReactFlow, useNodesState, type Edge, type Node, type NodeProps } from '@xyflow/react';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { dagStructureKey, DAG_NODE_HEIGHT, DAG_NODE_WIDTH, layoutDag } from './dag-layout';
import { statusLabel } from './status-badge';

/** One task of a DAG, as the graph draws it. */
export interface DagGraphNode {
  name: string;
  parents: string[];
  /** Task status (PENDING … SKIPPED) colours the node; none for a definition preview. */
  status?: string;
  /** Extra line under the name (duration, attempts…). */
  detail?: ReactNode;
  /** Drawn dashed and faded: a task that did not run here (a playground run's task copied from its source). */
  dimmed?: boolean;
}

export interface DagGraphProps {
  nodes: DagGraphNode[];
  /** Called with the node's name when it is clicked. */
  onSelect?: (name: string) => void;
  /** Pixel height of the canvas (default 320). */
  height?: number;
  /** data-testid of each node is `${testIdPrefix}-${name}` (default 'graph-node'). */
  testIdPrefix?: string;
  /** Name of the node drawn as selected. */
  selected?: string | null;
}

type FlowNode = Node<{ name: string }, 'task'>;

/**
 * Live state (status, detail, selection) reaches the nodes through context, not
 * through xyflow's node objects: those only change with the structure, so a
 * status change repaints a node without a new layout or a viewport jump.
 */
const NodeState = createContext<{ byName: Map<string, DagGraphNode>; selected: string | null; testIdPrefix: string }>({
  byName: new Map(),
  selected: null,
  testIdPrefix: 'graph-node',
});

const DIMMED_STYLE = { borderStyle: 'dashed', borderLeftStyle: 'solid', opacity: 0.7 } as const;

function TaskNode({ data }: NodeProps<FlowNode>) {
  const { byName, selected, testIdPrefix } = useContext(NodeState);
  const node = byName.get(data.name);
  const status = node?.status;
  const css = status ? ` status-${status.toLowerCase()}` : '';
  return (
    <div
      className={`dag-node${css}${selected === data.name ? ' selected' : ''}`}
      data-testid={`${testIdPrefix}-${data.name}`}
      data-status={status}
      data-selected={selected === data.name ? 'true' : undefined}
      data-dimmed={node?.dimmed ? 'true' : undefined}
      style={node?.dimmed ? DIMMED_STYLE : undefined}
      title={status ? `${data.name}: ${statusLabel(status)}${node?.dimmed ? ' (not run here)' : ''}` : data.name}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className="dag-handle" />
      <span className="dag-node-title">
        {status ? <span className={`dot${css}`} aria-hidden /> : null}
        <span className="dag-node-name">{data.name}</span>
      </span>
      {node?.detail != null ? <span className="dag-node-detail">{node.detail}</span> : null}
      <Handle type="source" position={Position.Right} isConnectable={false} className="dag-handle" />
    </div>
  );
}

const NODE_TYPES = { task: TaskNode };
const FIT_VIEW_OPTIONS = { padding: 0.15, maxZoom: 1 };

/** Below this, `height` is not given and the DAG is short: the canvas shrinks to it. */
const DEFAULT_HEIGHT = 320;
const MIN_AUTO_HEIGHT = 130;

/**
 * A DAG drawn with @xyflow/react, laid out left to right by dagre; pan by
 * dragging, zoom with the buttons, a pinch or Ctrl + wheel (a plain wheel keeps
 * scrolling the page).
 */
export function DagGraph({ nodes, onSelect, height, testIdPrefix = 'graph-node', selected = null }: DagGraphProps) {
  const structureKey = dagStructureKey(nodes);
  // Keyed on the structure only: a new `nodes` array every poll must not re-run the layout.
  const layout = useMemo(() => layoutDag(nodes), [structureKey]);
  const byName = useMemo(() => new Map(nodes.map((n) => [n.name, n])), [nodes]);
  const statusKey = nodes.map((n) => n.status ?? '').join('|');

  const edges = useMemo<Edge[]>(
    () =>
      layout.edges.map(({ source, target }) => {
        const sourceStatus = byName.get(source)?.status;
        const targetStatus = byName.get(target)?.status;
        return {
          id: `${source}\u0000${target}`,
          source,
          target,
          type: 'smoothstep',
          animated: targetStatus === 'RUNNING',
          className: sourceStatus ? `dag-edge status-${sourceStatus.toLowerCase()}` : 'dag-edge',
          focusable: false,
          selectable: false,
        };
      }),
    [layout, statusKey],
  );

  const canvasHeight = height ?? Math.min(DEFAULT_HEIGHT, Math.max(MIN_AUTO_HEIGHT, layout.height + 64));
  const state = useMemo(() => ({ byName, selected, testIdPrefix }), [byName, selected, testIdPrefix]);

  if (nodes.length === 0) return null;
  return (
    <div className="dag-graph" style={{ height: canvasHeight }}>
      <NodeState.Provider value={state}>
        {/* A new structure (never during a run: its tasks are created up front) remounts and fits again. */}
        <DagCanvas key={structureKey} layout={layout} edges={edges} onSelect={onSelect} />
      </NodeState.Provider>
    </div>
  );
}

function DagCanvas(props: { layout: ReturnType<typeof layoutDag>; edges: Edge[]; onSelect?: (name: string) => void }) {
  const [flowNodes, , onNodesChange] = useNodesState<FlowNode>(
    [...props.layout.positions].map(([name, position]) => ({
      id: name,
      type: 'task',
      position,
      data: { name },
      width: DAG_NODE_WIDTH,
      height: DAG_NODE_HEIGHT,
      draggable: false,
      connectable: false,
    })),
  );
  return (
    <ReactFlow
      nodes={flowNodes}
      edges={props.edges}
      nodeTypes={NODE_TYPES}
      onNodesChange={onNodesChange}
      onNodeClick={(_event, node) => props.onSelect?.(node.id)}
      fitView
      fitViewOptions={FIT_VIEW_OPTIONS}
      minZoom={0.2}
      maxZoom={2}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesFocusable={false}
      zoomOnScroll={false}
      preventScrolling={false}
      zoomOnDoubleClick={false}
    >
      <Background gap={16} size={1} />
      <Controls showInteractive={false} position="bottom-left" />
    </ReactFlow>
  );
}
