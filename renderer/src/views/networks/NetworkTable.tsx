import type { NetworkSummary } from '../../../../core/api/networks.schema';
import { TrashIcon } from '../../components/containerIcons';
import { NetworkMembers } from './NetworkMembers';

/** The networks as `network ls` lists them, with the subnet and the containers on each. */
export function NetworkTable({
  networks,
  onOpen,
  onRemove,
}: {
  networks: readonly NetworkSummary[];
  onOpen: (network: NetworkSummary) => void;
  onRemove: (network: NetworkSummary) => void;
}) {
  return (
    <div className="networks-view__scroll">
      <table className="network-table" data-testid="networks-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Driver</th>
            <th scope="col">Subnet</th>
            <th scope="col">Containers</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {networks.map((n) => (
            <tr key={n.id} data-testid="network-row" data-name={n.name}>
              <td className="network-row__name">
                <button
                  type="button"
                  className="link-button network-row__open"
                  title={`Inspect ${n.name}`}
                  data-testid="network-open"
                  onClick={() => onOpen(n)}
                >
                  {n.name}
                </button>
                {!n.userDefined && <span className="network-row__kind">built in</span>}
              </td>
              <td>{n.driver}</td>
              <td>{n.subnet ? <code>{n.subnet}</code> : <span className="network-row__none">—</span>}</td>
              <td data-testid="network-containers" className="network-row__members">
                <NetworkMembers network={n} />
              </td>
              <td className="network-row__actions">
                {n.userDefined && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove ${n.name}`}
                    title={`Remove ${n.name}`}
                    onClick={() => onRemove(n)}
                  >
                    <TrashIcon />
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
