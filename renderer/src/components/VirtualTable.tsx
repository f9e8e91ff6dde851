import { useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, type ReactNode, useRef } from 'react';
import { useVirtualScrollBox } from './virtualScrollBox';

/** Every row's height, as virtualTable.css draws it. */
const ROW_HEIGHT = 52;

/** Where `row` draws an item: its aria-rowindex (1 is the header) and its offset in the body. */
export interface RowPlace {
  rowIndex: number;
  top: number;
}

/**
 * A table virtualized like the images list: only the rows in view are in the DOM (the table is
 * laid out as a grid, rows placed by transform), so a long list scrolls like a short one. Rows
 * hold buttons and links, so this is a table people Tab through, not a listbox. `className`
 * names the table for its columns (virtualTable.css has the rest); `row` draws one item's <tr>,
 * placed with `translateY(top)`.
 */
export function VirtualTable<T>({
  items,
  itemKey,
  label,
  className,
  testId,
  head,
  row,
}: {
  items: T[];
  itemKey: (item: T) => string;
  label: string;
  className: string;
  testId: string;
  /** The header row's cells. */
  head: ReactNode;
  row: (item: T, place: RowPlace) => ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => {
      const item = items[index];
      return item === undefined ? index : itemKey(item);
    },
    useFlushSync: false,
    ...useVirtualScrollBox(),
  });
  return (
    <div className={`virtual-table ${className}`} ref={scrollRef} data-testid={testId}>
      <table aria-label={label} aria-rowcount={items.length + 1}>
        <thead>
          <tr aria-rowindex={1} className="virtual-table__head">
            {head}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((virtual) => {
            const item = items[virtual.index];
            if (item === undefined) return null;
            return <Fragment key={itemKey(item)}>{row(item, { rowIndex: virtual.index + 2, top: virtual.start })}</Fragment>;
          })}
        </tbody>
      </table>
    </div>
  );
}
