import { VISITOR_KEYS, type Node } from '@babel/types';

/** Each node's parent, for walking outwards from a node (scopes, indentation). */
export type ParentMap = WeakMap<Node, Node>;

/** Visits every node of the tree depth-first, in source order, and returns the parent of each. */
export function walk(root: Node, visit: (node: Node) => void): ParentMap {
  const parents: ParentMap = new WeakMap();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) {
      parents.set(children[i]!, node);
      stack.push(children[i]!);
    }
  }
  return parents;
}

function childrenOf(node: Node): Node[] {
  const children: Node[] = [];
  for (const key of VISITOR_KEYS[node.type] ?? []) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The ancestors of `node`, innermost first. */
export function ancestorsOf(node: Node, parents: ParentMap): Node[] {
  const ancestors: Node[] = [];
  for (let parent = parents.get(node); parent; parent = parents.get(parent)) ancestors.push(parent);
  return ancestors;
}
