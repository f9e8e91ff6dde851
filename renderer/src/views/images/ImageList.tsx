import { defaultRangeExtractor, type Range, useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useCallback, useEffect, useRef } from 'react';
import { nextIndex } from '../../components/listKeys';
import { useVirtualScrollBox } from '../../components/virtualScrollBox';
import { ImageListRow, rowDomId } from './ImageListRow';
import type { ImageRow } from './imageRows';
import { SortHeader } from './SortHeader';

const ROW_HEIGHT = 44;

interface Props {
  rows: ImageRow[];
  selectedKey: string | null;
  onSelect: (key: string | null) => void;
  checked: ReadonlySet<string>;
  onCheck: (key: string, checked: boolean) => void;
  inUse: Map<string, string[]> | undefined;
  onDelete: (key: string) => void;
  onTag: (key: string) => void;
}

/**
 * The images as a virtualized listbox: only the rows in view (plus a few) are in the DOM, so
 * thousands of images scroll as smoothly as ten. Arrow keys, Page Up/Down, Home and End move the
 * selection; Escape clears it.
 */
export function ImageList({ rows, selectedKey, onSelect, checked, onCheck, inUse, onDelete, onTag }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selectedIndex = selectedKey === null ? -1 : rows.findIndex((r) => r.key === selectedKey);

  // The selected row stays rendered even when scrolled away, so aria-activedescendant never
  // points at nothing.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (selectedIndex >= 0 && !indexes.includes(selectedIndex)) indexes.push(selectedIndex);
      return indexes;
    },
    [selectedIndex],
  );

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    rangeExtractor,
    getItemKey: (index) => rows[index]?.key ?? index,
    // React 19 warns about flushSync during render; rows have a fixed height, so nothing is lost.
    useFlushSync: false,
    ...useVirtualScrollBox(),
  });

  // Keep the selection in view when it moves (keys, or a search that shifts it).
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && selectedKey !== null) {
      e.preventDefault();
      onSelect(null);
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const next = nextIndex(e.key, selectedIndex, rows.length, page);
    if (next === undefined) return;
    e.preventDefault();
    const row = rows[next];
    if (row) onSelect(row.key);
  };

  return (
    <div className="panel image-table" data-testid="images-list">
      {/* Not a table to assistive tech (the body is a listbox): the sort buttons are its only controls. */}
      <div className="image-table__head">
        <span />
        <SortHeader column="name" label="Repository" />
        <span aria-hidden="true">Tag</span>
        <span aria-hidden="true">Image ID</span>
        <SortHeader column="created" label="Created" />
        <SortHeader column="pulled" label="Pulled" className="image-table__pulled" />
        <SortHeader column="size" label="Size" numeric />
        <span className="image-table__shared is-numeric" aria-hidden="true">
          Shared size
        </span>
        <span />
      </div>
      <div
        ref={scrollRef}
        className="image-table__body"
        role="listbox"
        aria-label="Images"
        tabIndex={0}
        aria-activedescendant={selectedIndex >= 0 ? rowDomId(selectedIndex) : undefined}
        onKeyDown={onKeyDown}
      >
        <div className="image-table__canvas" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <ImageListRow
                key={row.key}
                row={row}
                index={item.index}
                count={rows.length}
                selected={item.index === selectedIndex}
                top={item.start}
                onSelect={onSelect}
                checked={checked.has(row.key)}
                onCheck={onCheck}
                usedBy={inUse?.get(row.image.id)}
                onDelete={onDelete}
                onTag={onTag}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
