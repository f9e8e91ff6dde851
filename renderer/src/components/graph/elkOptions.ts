import type { LayoutOptions } from 'elkjs/lib/elk-api';

export type Direction = 'DOWN' | 'RIGHT';

/**
 * ELK's layered algorithm (Sugiyama: layers, crossing minimisation, placement). One image is a
 * handful of nodes, so it gets the careful defaults and keeps the manifest's order (config, then
 * layers bottom-up). A whole store can be hundreds of nodes: there the expensive parts go. Keeping
 * the model order costs most (a 200-image store: ~1 s of ~1.2 s); then Brandes-Köpf placement gives
 * way to SIMPLE, crossing reduction gets one sweep without the greedy switch, and no compaction.
 */
export function layoutOptions(direction: Direction, large: boolean): LayoutOptions {
  const common: LayoutOptions = {
    'elk.algorithm': 'layered',
    'elk.direction': direction,
    'elk.edgeRouting': 'POLYLINE',
    'elk.spacing.nodeNode': '18',
    'elk.layered.spacing.nodeNodeBetweenLayers': direction === 'DOWN' ? '56' : '96',
  };
  if (!large) return { ...common, 'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES' };
  return {
    ...common,
    'elk.layered.nodePlacement.strategy': 'SIMPLE',
    'elk.layered.thoroughness': '1',
    'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
    'elk.layered.compaction.postCompaction.strategy': 'NONE',
    'elk.separateConnectedComponents': 'false',
  };
}

/** Graphs bigger than this get the fast options. */
export const LARGE_GRAPH = 60;
