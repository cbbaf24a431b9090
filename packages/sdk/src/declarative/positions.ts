import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type YamlPath = readonly (string | number)[];

/**
 * Where the value at `path` is written (1-based line and column). A mapping member points at its
 * key; a path that is not in the file (a missing key) points at the deepest part that is.
 */
export function positionOf(doc: Document, lineCounter: LineCounter, path: YamlPath): { line: number; column: number } {
  let node: unknown = doc.contents;
  let anchor: Node | undefined = isNode(node) ? node : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      if (!pair) break;
      anchor = isNode(pair.key) ? pair.key : anchor;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) break;
      anchor = item;
      node = item;
    } else {
      break;
    }
  }
  const offset = anchor?.range?.[0] ?? 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** A path as the user would write it: `jobs.print-user.steps[0].action`. */
export function formatPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
