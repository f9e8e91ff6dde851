import { memo } from 'react';
import type { ContainerSummary } from '../../../../core/api/containers.schema';
import { ContainerActions } from './ContainerActions';
import { ContainerStatus } from './ContainerStatus';
import { ContainerUsage } from './ContainerUsage';
import { PortLinks } from './PortLinks';
import { StatePill } from './StatePill';

/** One container in the table; its name opens the detail. */
export const ContainerRow = memo(function ContainerRow({
  container,
  rowIndex,
  top,
  onOpen,
  checked,
  onCheck,
}: {
  container: ContainerSummary;
  /** aria-rowindex: 1 is the header. */
  rowIndex: number;
  top: number;
  onOpen: (id: string) => void;
  /** Picked with its box, for Stop or Remove on several. */
  checked: boolean;
  onCheck: (id: string, checked: boolean) => void;
}) {
  return (
    <tr
      aria-rowindex={rowIndex}
      className={`container-row is-${container.state}`}
      data-testid="container-row"
      data-id={container.id}
      data-name={container.name}
      style={{ transform: `translateY(${top}px)` }}
    >
      <td className="container-row__check">
        <input
          type="checkbox"
          aria-label={`Select ${container.name}`}
          checked={checked}
          onChange={(e) => onCheck(container.id, e.target.checked)}
        />
      </td>
      <td className="container-row__name">
        <button
          type="button"
          className="link-button"
          title={`Open ${container.name}: logs, inspect, terminal`}
          data-testid="container-open"
          onClick={() => onOpen(container.id)}
        >
          {container.name}
        </button>
        <code className="container-row__id">{container.id.slice(0, 12)}</code>
      </td>
      <td className="container-row__image" title={container.image}>
        {container.image}
      </td>
      <td>
        <StatePill state={container.state} />
      </td>
      <td className="container-row__status">
        <ContainerStatus container={container} />
      </td>
      <td className="container-row__usage">
        <ContainerUsage id={container.id} state={container.state} />
      </td>
      <td className="container-row__ports">
        <PortLinks ports={container.ports} />
      </td>
      <td className="container-row__actions">
        <ContainerActions container={container} />
      </td>
    </tr>
  );
});
