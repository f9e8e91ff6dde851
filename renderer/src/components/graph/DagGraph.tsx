import {
  Background,
  Controls,
  type Edge,
  MiniMap,
  type NodeMouseHandler,
  type NodeTypes,
  ReactFlow,
  type ReactFlowInstance,
} from '@xyflow/react';
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useUiStore } from '../../state/uiStore';
import { BLOB_CARD, BlobCard, type BlobFlowNode } from './BlobCard';
import type { Direction } from './elkOptions';
import { type Placement, placeGraph } from './graphLayout';
import type { GraphCard, GraphModel } from './graphModel';
import { IMAGE_CARD, ImageCard, type ImageFlowNode } from './ImageCard';

type FlowNode = BlobFlowNode | ImageFlowNode;

const nodeTypes: NodeTypes = { blob: BlobCard, image: ImageCard };
const PAD = 24;
/**
 * React Flow's minimap: 200×150 at 15 px from the bottom-right corner. A graph keeps out from
 * under it: shown whole, above it or beside it (whichever zooms less); bigger, beside it.
 */
const MINIMAP_CLEARANCE = { width: 200 + 2 * 15, height: 150 + 2 * 15 };
/** Below this zoom card text cannot be read: a bigger graph opens at a part of it instead of shrunk to fit. */
const READABLE_ZOOM = 0.45;
/** The zoom a big graph opens at around its focus: the focus and its neighbours legible. */
const FOCUS_ZOOM = 0.75;

const minimapClass = (node: FlowNode) => (node.type === 'image' ? 'is-image' : `is-${node.data.blob.kind}`);

const cardSize = (card: GraphCard) => (card.type === 'image' ? IMAGE_CARD : BLOB_CARD);

interface Props {
  model: GraphModel;
  direction: Direction;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  label: string;
  testId: string;
  /** Many nodes: the wheel pans, only cards in view are drawn, and a minimap shows the whole. */
  large?: boolean;
  /** Where a graph too big to show whole opens (the store graph: its most shared blob); else its top. */
  focusId?: string | undefined;
}

interface Laid {
  model: GraphModel;
  placement: Placement;
  started: number;
  layoutMs: number;
}

/**
 * A DAG drawn with React Flow, laid out by ELK (in a worker). The time the layout took is on the
 * element (data-layout-ms, data-elk-ms, data-drawn-ms), for people profiling and for the e2e test.
 */
export function DagGraph({ model, direction, selectedId, onSelect, label, testId, large = false, focusId }: Props) {
  const minimap = large;
  const theme = useUiStore((s) => s.theme);
  const [laid, setLaid] = useState<Laid | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [drawnMs, setDrawnMs] = useState<number | null>(null);
  const wrapper = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    const started = performance.now();
    const boxes = model.cards.map((c) => ({ id: c.id, ...cardSize(c) }));
    placeGraph(boxes, model.links, direction).then(
      (placement) => {
        if (!live) return;
        setDrawnMs(null);
        setLaid({ model, placement, started, layoutMs: performance.now() - started });
      },
      (err: unknown) => live && setFailed(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [model, direction]);

  const current = laid?.model === model ? laid : null;
  const nodes = useMemo<FlowNode[]>(() => {
    if (!current) return [];
    return current.model.cards.map((card) => {
      const size = cardSize(card);
      const position = current.placement.positions.get(card.id) ?? { x: 0, y: 0 };
      const common = { id: card.id, position, ...size, selected: card.id === selectedId, draggable: false, connectable: false };
      return card.type === 'image' ? { ...common, type: 'image', data: card.data } : { ...common, type: 'blob', data: card.data };
    });
  }, [current, selectedId]);
  const edges = useMemo<Edge[]>(
    () =>
      (current?.model.links ?? []).map(({ from, to }) => ({
        id: `${from}>${to}`,
        source: from,
        target: to,
        className: from === selectedId || to === selectedId ? 'is-active' : '',
        focusable: false,
      })),
    [current, selectedId],
  );

  const flow = useRef<ReactFlowInstance<FlowNode> | null>(null);
  /**
   * A graph that fits at a readable zoom is shown whole; a bigger one opens at its focus (or its
   * top), as wide as readable, for the wheel and the minimap to explore.
   */
  const frame = useCallback(
    (instance: ReactFlowInstance<FlowNode>, placement: Placement, focus: string | undefined) => {
      const box = wrapper.current?.getBoundingClientRect();
      if (!box || box.width === 0) return;
      const { width, height } = placement;
      const fitIn = (w: number, h: number) => Math.min(w / (width + 2 * PAD), h / (height + 2 * PAD), 1);
      if (!minimap) {
        if (fitIn(box.width, box.height) >= READABLE_ZOOM) {
          void instance.fitView({ padding: 0.12, maxZoom: 1 });
          return;
        }
      } else {
        const clear = MINIMAP_CLEARANCE;
        const above = fitIn(box.width, box.height - clear.height);
        const beside = fitIn(box.width - clear.width, box.height);
        if (Math.max(above, beside) >= READABLE_ZOOM) {
          const px = (n: number) => `${n}px` as const;
          void instance.fitView({
            padding:
              above >= beside
                ? { x: px(PAD), top: px(PAD), bottom: px(clear.height + PAD) }
                : { y: px(PAD), left: px(PAD), right: px(clear.width + PAD) },
            maxZoom: 1,
          });
          return;
        }
      }
      // As wide as fits beside the minimap (at a readable zoom), centred there; down, at the focus or at the top.
      const across = box.width - (minimap ? MINIMAP_CLEARANCE.width : 0);
      const at = focus === undefined ? undefined : placement.positions.get(focus);
      const zoom = Math.max(READABLE_ZOOM, Math.min(at ? FOCUS_ZOOM : 1, across / (width + 2 * PAD)));
      const x = width * zoom < across ? (across - width * zoom) / 2 : PAD;
      const y = at ? box.height / 2 - (at.y + BLOB_CARD.height / 2) * zoom : PAD;
      void instance.setViewport({ x, y, zoom });
    },
    [minimap],
  );

  const onInit = (instance: ReactFlowInstance<FlowNode>) => {
    if (!current) return;
    flow.current = instance;
    frame(instance, current.placement, focusId);
    requestAnimationFrame(() => setDrawnMs(performance.now() - current.started));
  };

  // A small graph stays whole when its box changes size (a side panel opening beside it).
  useEffect(() => {
    const element = wrapper.current;
    if (!element || !current || large) return;
    // A frame later: React Flow measures its own box with an observer of its own, and fitView uses that.
    let pending = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        if (flow.current) frame(flow.current, current.placement, undefined);
      });
    });
    observer.observe(element);
    return () => {
      cancelAnimationFrame(pending);
      observer.disconnect();
    };
  }, [current, large, frame]);

  const onNodeClick: NodeMouseHandler<FlowNode> = (_event, node) => onSelect(node.id === selectedId ? null : node.id);
  // React Flow makes each card focusable; Enter or Space on a focused card selects it, as a click does.
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape' && selectedId !== null) onSelect(null);
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const id = (e.target as HTMLElement).closest<HTMLElement>('.react-flow__node')?.dataset.id;
    if (!id) return;
    e.preventDefault();
    onSelect(id);
  };

  return (
    <section
      ref={wrapper}
      className="dag-graph"
      aria-label={label}
      data-testid={testId}
      data-state={current ? 'ready' : failed ? 'failed' : 'laying-out'}
      data-node-count={current?.model.cards.length}
      data-layout-ms={current ? Math.round(current.layoutMs) : undefined}
      data-elk-ms={current ? Math.round(current.placement.elkMs) : undefined}
      data-drawn-ms={drawnMs === null ? undefined : Math.round(drawnMs)}
      onKeyDown={onKeyDown}
    >
      {current ? (
        <ReactFlow<FlowNode>
          // A new layout is a new picture: remounting fits the view to it.
          key={current.started}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onInit={onInit}
          onNodeClick={onNodeClick}
          onPaneClick={() => onSelect(null)}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          onlyRenderVisibleElements={large}
          panOnScroll={large}
          minZoom={0.05}
          maxZoom={2}
          colorMode={theme}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={24} size={1} />
          <Controls showInteractive={false} position="top-right" orientation="horizontal" />
          {minimap && <MiniMap<FlowNode> pannable zoomable nodeClassName={minimapClass} />}
        </ReactFlow>
      ) : (
        <p className="placeholder">{failed ? `The graph could not be laid out: ${failed}` : 'Laying out the graph…'}</p>
      )}
    </section>
  );
}
