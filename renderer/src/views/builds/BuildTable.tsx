import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { BuildSummary } from '../../../../core/api/builds.schema';
import { BuildRow } from './BuildRow';

const ROW_HEIGHT = 52;

/**
 * The build history as a table, virtualized like the containers table: only the rows in view are
 * in the DOM (a grid, rows placed by transform), so a long history scrolls like a short one.
 */
export function BuildTable({ builds, onOpen }: { builds: BuildSummary[]; onOpen: (id: string) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: builds.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => builds[index]?.buildId ?? index,
    useFlushSync: false,
  });
  return (
    <div className="build-table" ref={scrollRef} data-testid="builds-list">
      <table aria-label="Builds" aria-rowcount={builds.length + 1}>
        <thead>
          <tr aria-rowindex={1} className="build-table__head">
            <th scope="col">Build</th>
            <th scope="col">State</th>
            <th scope="col">Started</th>
            <th scope="col" className="is-numeric">
              Duration
            </th>
            <th scope="col">Steps</th>
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const build = builds[item.index];
            if (!build) return null;
            return <BuildRow key={build.buildId} build={build} rowIndex={item.index + 2} top={item.start} onOpen={onOpen} />;
          })}
        </tbody>
      </table>
    </div>
  );
}
