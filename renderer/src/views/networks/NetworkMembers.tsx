import type { NetworkSummary } from '../../../../core/api/networks.schema';
import { useUiStore } from '../../state/uiStore';

/** The containers that name a network, each a way to its detail; "None" when no container does. */
export function NetworkMembers({ network }: { network: NetworkSummary }) {
  const openContainer = useUiStore((s) => s.openContainer);
  if (network.containers.length === 0) return <span className="network-row__none">None</span>;
  return (
    <>
      {network.containers.map((c) => (
        <button key={c.id} type="button" className="link-button network-row__member" onClick={() => openContainer(c.id)}>
          {c.name}
        </button>
      ))}
    </>
  );
}
