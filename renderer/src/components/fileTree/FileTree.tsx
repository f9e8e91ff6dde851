import { defaultRangeExtractor, type Range, useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { nextIndex } from '../listKeys';
import { useVirtualScrollBox } from '../virtualScrollBox';
import { FileTreeRow } from './FileTreeRow';
import { filterTree, type TreeNode, visibleNodes } from './fileTreeModel';
import { SelectedPath } from './SelectedPath';

const ROW_HEIGHT = 26;
const NOTHING_COLLAPSED: ReadonlySet<string> = new Set();

interface Props {
  /** The paths as a tree (fileTreeModel.ts), made by the caller: a tree shown again need not be made again. */
  nodes: readonly TreeNode[];
  /** Path filter text; matching paths show with their ancestors. */
  filter: string;
  /** Names the tree for assistive tech ("Files of layer 2"). */
  label: string;
  /** Said when there are no entries at all. */
  emptyText: string;
  testId?: string;
}

/**
 * A layer's (or a comparison's) files as a tree: built once from the flat list, then only the
 * rows in view are rendered, so 100,000 paths scroll like 100. Directories collapse with a click,
 * a double click, or the arrow keys (Left/Right), as in a file manager.
 */
export function FileTree({ nodes, filter, label, emptyText, testId }: Props) {
  // Typing in the filter stays responsive while a big tree re-filters in the background.
  const deferredFilter = useDeferredValue(filter);
  const keep = useMemo(() => filterTree(nodes, deferredFilter), [nodes, deferredFilter]);
  // Collapsing belongs to one filter: a new filter shows all its matches.
  const [folds, setFolds] = useState({ filter: deferredFilter, collapsed: NOTHING_COLLAPSED });
  const collapsed = folds.filter === deferredFilter ? folds.collapsed : NOTHING_COLLAPSED;
  const rows = useMemo(() => visibleNodes(nodes, collapsed, keep), [nodes, collapsed, keep]);
  const [selectedPath, setSelectedPath] = useState<string | null>(null);
  const selectedRow = useMemo(
    () => (selectedPath === null ? -1 : rows.findIndex((i) => nodes[i]?.path === selectedPath)),
    [rows, nodes, selectedPath],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const idPrefix = useId();
  const domId = (row: number) => `${idPrefix}-row-${row}`;

  const toggle = useCallback(
    (path: string) =>
      setFolds(({ filter: f, collapsed: c }) => {
        const next = new Set(f === deferredFilter ? c : NOTHING_COLLAPSED);
        if (!next.delete(path)) next.add(path);
        return { filter: deferredFilter, collapsed: next };
      }),
    [deferredFilter],
  );
  const selectRow = useCallback((row: number) => setSelectedPath(nodes[rows[row] ?? -1]?.path ?? null), [nodes, rows]);

  // The selected row stays rendered even when scrolled away, so aria-activedescendant never points at nothing.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (selectedRow >= 0 && !indexes.includes(selectedRow)) indexes.push(selectedRow);
      return indexes;
    },
    [selectedRow],
  );
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    rangeExtractor,
    getItemKey: (row) => nodes[rows[row] ?? -1]?.path ?? row,
    useFlushSync: false,
    ...useVirtualScrollBox(),
  });

  useEffect(() => {
    if (selectedRow >= 0) virtualizer.scrollToIndex(selectedRow, { align: 'auto' });
  }, [selectedRow, virtualizer]);

  // Another tree, or another filter, starts at its top (unless the selection is in it).
  const scrollKey = useRef({ nodes, filter: deferredFilter });
  useEffect(() => {
    if (scrollKey.current.nodes === nodes && scrollKey.current.filter === deferredFilter) return;
    scrollKey.current = { nodes, filter: deferredFilter };
    if (selectedRow < 0) scrollRef.current?.scrollTo({ top: 0 });
  }, [nodes, deferredFilter, selectedRow]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const node = nodes[rows[selectedRow] ?? -1];
    let handled = true;
    if (node && (e.key === 'Enter' || e.key === ' ')) {
      if (node.isDir) toggle(node.path);
    } else if (node && e.key === 'ArrowRight') {
      if (node.isDir && collapsed.has(node.path)) toggle(node.path);
      else if (node.isDir) selectRow(Math.min(selectedRow + 1, rows.length - 1));
    } else if (node && e.key === 'ArrowLeft') {
      if (node.isDir && !collapsed.has(node.path) && node.end > (rows[selectedRow] ?? 0) + 1) toggle(node.path);
      else if (node.parent >= 0) setSelectedPath(nodes[node.parent]?.path ?? null);
    } else {
      const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
      const next = nextIndex(e.key, selectedRow, rows.length, page);
      if (next === undefined) handled = false;
      else selectRow(next);
    }
    if (handled) e.preventDefault();
  };

  if (nodes.length === 0) {
    return (
      <div className="file-tree file-tree--empty" data-testid={testId}>
        <p className="placeholder">{emptyText}</p>
      </div>
    );
  }
  const selectedNode = nodes[rows[selectedRow] ?? -1];
  return (
    <div className="file-tree" data-testid={testId}>
      <div className="file-tree__head" aria-hidden="true">
        <span>Name</span>
        <span>Mode</span>
        <span>Owner</span>
        <span className="is-numeric">Size</span>
      </div>
      {rows.length === 0 ? (
        <p className="placeholder file-tree__body" data-testid="tree-no-match">
          No paths match “{deferredFilter.trim()}”.
        </p>
      ) : (
        <div
          ref={scrollRef}
          className="file-tree__body"
          role="tree"
          aria-label={label}
          tabIndex={0}
          aria-activedescendant={selectedRow >= 0 ? domId(selectedRow) : undefined}
          onKeyDown={onKeyDown}
        >
          <div className="file-tree__canvas" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const node = nodes[rows[item.index] ?? -1];
              if (!node) return null;
              return (
                <FileTreeRow
                  key={node.path}
                  node={node}
                  index={item.index}
                  domId={domId(item.index)}
                  expanded={!collapsed.has(node.path)}
                  selected={item.index === selectedRow}
                  top={item.start}
                  onSelect={selectRow}
                  onToggle={toggle}
                />
              );
            })}
          </div>
        </div>
      )}
      <SelectedPath node={selectedNode} />
    </div>
  );
}
