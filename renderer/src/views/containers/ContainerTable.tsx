import type { ContainerSummary } from '../../../../core/api/containers.schema';
import { VirtualTable } from '../../components/VirtualTable';
import { ContainerRow } from './ContainerRow';

/** The containers as a table, virtualized: a row each, its name opening the detail. */
export function ContainerTable({
  containers,
  onOpen,
  checkedIds,
  onCheck,
}: {
  containers: ContainerSummary[];
  onOpen: (id: string) => void;
  checkedIds: ReadonlySet<string>;
  onCheck: (id: string, checked: boolean) => void;
}) {
  return (
    <VirtualTable
      items={containers}
      itemKey={(container) => container.id}
      label="Containers"
      className="container-table"
      testId="containers-list"
      head={
        <>
          <th scope="col">
            <span className="visually-hidden">Selected</span>
          </th>
          <th scope="col">Name</th>
          <th scope="col">Image</th>
          <th scope="col">State</th>
          <th scope="col">Status</th>
          <th scope="col">CPU · Memory</th>
          <th scope="col">Ports</th>
          <th scope="col" className="container-table__actions-head">
            Actions
          </th>
        </>
      }
      row={(container, place) => (
        <ContainerRow
          container={container}
          rowIndex={place.rowIndex}
          top={place.top}
          onOpen={onOpen}
          checked={checkedIds.has(container.id)}
          onCheck={onCheck}
        />
      )}
    />
  );
}
