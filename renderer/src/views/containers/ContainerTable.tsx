import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { ContainerSummary } from '../../../../core/api/containers.schema';
import { ContainerRow } from './ContainerRow';

const ROW_HEIGHT = 52;

/**
 * The containers as a table, virtualized like the images list: only the rows in view are in the
 * DOM (the table is laid out as a grid, rows placed by transform). Rows hold buttons and links,
 * so this is a table people Tab through, not a listbox.
 */
export function ContainerTable({ containers, onOpen }: { containers: ContainerSummary[]; onOpen: (id: string) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: containers.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => containers[index]?.id ?? index,
    useFlushSync: false,
  });
  return (
    <div className="container-table" ref={scrollRef} data-testid="containers-list">
      <table aria-label="Containers" aria-rowcount={containers.length + 1}>
        <thead>
          <tr aria-rowindex={1} className="container-table__head">
            <th scope="col">Name</th>
            <th scope="col">Image</th>
            <th scope="col">State</th>
            <th scope="col">Status</th>
            <th scope="col">Ports</th>
            <th scope="col" className="container-table__actions-head">
              Actions
            </th>
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const container = containers[item.index];
            if (!container) return null;
            return (
              <ContainerRow key={container.id} container={container} rowIndex={item.index + 2} top={item.start} onOpen={onOpen} />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
