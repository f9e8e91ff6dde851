import type { GraphCard, GraphModel, ImageCardData } from '../../components/graph/graphModel';

/**
 * Above this many image cards the condensed store graph groups them: a thousand cards, each with
 * an edge to its base, are a hairball to read and a thousand curves to repaint on every frame of
 * a pan (issue 19: 600 ms frames at 1,000 images).
 */
export const IMAGE_CARDS_SHOWN = 200;

type ImageCard = Extract<GraphCard, { type: 'image' }>;

/**
 * The condensed store graph with the images that stand on exactly the same shared blobs (the
 * same base) folded into one card, linked once to each of those blobs: what is shared, and by how
 * many, still reads at a glance. A store of up to `limit` images keeps one card per image (the
 * model itself is returned), and an image alone on its blobs keeps its own card.
 */
export function groupImagesByBase(model: GraphModel, limit = IMAGE_CARDS_SHOWN): GraphModel {
  const images = model.cards.filter((c): c is ImageCard => c.type === 'image');
  if (images.length <= limit) return model;
  const imageIds = new Set(images.map((c) => c.id));
  const basesOf = new Map<string, string[]>();
  for (const { from, to } of model.links) {
    if (!imageIds.has(from)) continue;
    const bases = basesOf.get(from);
    if (bases) bases.push(to);
    else basesOf.set(from, [to]);
  }
  const byBases = new Map<string, ImageCard[]>();
  for (const card of images) {
    const key = [...(basesOf.get(card.id) ?? [])].sort().join('\n');
    const members = byBases.get(key);
    if (members) members.push(card);
    else byBases.set(key, [card]);
  }
  const cardOf = new Map<string, GraphCard>();
  for (const [key, members] of byBases) {
    const [first] = members;
    if (!first) continue;
    if (members.length === 1) {
      cardOf.set(first.id, first);
      continue;
    }
    const data: ImageCardData = {
      ...first.data,
      names: members.flatMap((m) => m.data.names),
      privateBlobs: members.reduce((n, m) => n + m.data.privateBlobs, 0),
      privateBytes: members.reduce((n, m) => n + m.data.privateBytes, 0),
      folded: members.flatMap((m) => m.data.folded),
      group: { count: members.length, roots: members.map((m) => m.data.root.digest) },
    };
    const group: GraphCard = { id: `group:${key || first.id}`, type: 'image', data };
    for (const m of members) cardOf.set(m.id, group);
  }
  const cards: GraphCard[] = [];
  const placed = new Set<string>();
  for (const card of model.cards) {
    const shown = cardOf.get(card.id) ?? card;
    if (placed.has(shown.id)) continue;
    placed.add(shown.id);
    cards.push(shown);
  }
  const links: GraphModel['links'] = [];
  const linked = new Set<string>();
  for (const { from, to } of model.links) {
    const source = cardOf.get(from)?.id ?? from;
    const id = `${source}>${to}`;
    if (linked.has(id)) continue;
    linked.add(id);
    links.push({ from: source, to });
  }
  return { cards, links };
}
