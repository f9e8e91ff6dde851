import type { BuildSummary } from '../../../../core/api/builds.schema';
import { VirtualTable } from '../../components/VirtualTable';
import { BuildRow } from './BuildRow';

/** The build history as a table, virtualized like the containers table. */
export function BuildTable({ builds, onOpen }: { builds: BuildSummary[]; onOpen: (id: string) => void }) {
  return (
    <VirtualTable
      items={builds}
      itemKey={(build) => build.buildId}
      label="Builds"
      className="build-table"
      testId="builds-list"
      head={
        <>
          <th scope="col">Build</th>
          <th scope="col">State</th>
          <th scope="col">Started</th>
          <th scope="col" className="is-numeric">
            Duration
          </th>
          <th scope="col">Steps</th>
        </>
      }
      row={(build, place) => <BuildRow build={build} rowIndex={place.rowIndex} top={place.top} onOpen={onOpen} />}
    />
  );
}
