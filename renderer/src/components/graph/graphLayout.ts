import type { ElkNode } from 'elkjs/lib/elk-api';
import { runElk } from './elkLayout';
import type { Direction } from './elkOptions';
import { LARGE_GRAPH, layoutOptions } from './elkOptions';

export interface LayoutBox {
  id: string;
  width: number;
  height: number;
}

export interface LayoutLink {
  from: string;
  to: string;
}

export interface Placement {
  positions: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
  elkMs: number;
}

/** Where each box goes, top-left corners in graph coordinates. Links to boxes not given are left out. */
export async function placeGraph(boxes: LayoutBox[], links: LayoutLink[], direction: Direction): Promise<Placement> {
  const ids = new Set(boxes.map((b) => b.id));
  const seen = new Set<string>();
  const edges = [];
  for (const { from, to } of links) {
    const id = `${from}>${to}`;
    if (!ids.has(from) || !ids.has(to) || seen.has(id)) continue;
    seen.add(id);
    edges.push({ id, sources: [from], targets: [to] });
  }
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: layoutOptions(direction, boxes.length > LARGE_GRAPH),
    children: boxes.map((b) => ({ id: b.id, width: b.width, height: b.height })),
    edges,
  };
  const { graph: laidOut, elkMs } = await runElk(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const child of laidOut.children ?? []) positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
  return { positions, width: laidOut.width ?? 0, height: laidOut.height ?? 0, elkMs };
}
