import type { Dag, DagNode } from '../../../../core/api/dag.schema';
import type { Arrival } from '../../state/liveBlobs';
import type { Direction } from './elkOptions';
import type { GraphCard, GraphModel } from './graphModel';

/**
 * Adds images still arriving to a graph: each blob their pulls have reported becomes a card (unless
 * the graph has it already: a base layer the store holds), linked as the events' parents say. The
 * store's node is used where the store has the blob; the rest is drawn from the events alone.
 */
export function withArriving(model: GraphModel, arrivals: readonly Arrival[], dag: Dag, direction: Direction): GraphModel {
  if (arrivals.length === 0) return model;
  const stored = new Map(dag.nodes.map((n) => [n.digest, n]));
  const ids = new Set(model.cards.map((c) => c.id));
  const cards: GraphCard[] = [...model.cards];
  const links = [...model.links];
  const linked = new Set(links.map((l) => `${l.from}>${l.to}`));
  for (const { subject, arriving } of arrivals) {
    for (const b of arriving.blobs) {
      if (!ids.has(b.digest)) {
        ids.add(b.digest);
        const blob: DagNode = stored.get(b.digest) ?? {
          digest: b.digest,
          kind: b.kind,
          mediaType: `${b.kind} (arriving)`,
          size: b.size,
          present: false,
          usedBy: [],
        };
        const top = b.digest === arriving.top;
        cards.push({
          id: b.digest,
          type: 'blob',
          data: { blob, sharedWith: [], direction, ...(top ? { imageNames: [subject] } : {}) },
        });
      }
    }
    for (const b of arriving.blobs) {
      const key = `${b.parent}>${b.digest}`;
      if (b.parent === undefined || !ids.has(b.parent) || linked.has(key)) continue;
      linked.add(key);
      links.push({ from: b.parent, to: b.digest });
    }
  }
  return { cards, links };
}
