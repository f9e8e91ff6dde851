import { useState } from 'react';
import type { NetworkSummary } from '../../../../core/api/networks.schema';
import { LoadedList } from '../../components/LoadedList';
import { MissingDetail } from '../../components/MissingDetail';
import { ViewHeader } from '../../components/ViewHeader';
import { useNetworkList } from '../../queries/networkQueries';
import { CreateNetworkDialog } from './CreateNetworkDialog';
import { NetworkDetail } from './NetworkDetail';
import { NetworkTable } from './NetworkTable';
import { PruneNetworksDialog } from './PruneNetworksDialog';
import { RemoveNetworkDialog } from './RemoveNetworkDialog';

/**
 * The engine's networks: the built-in three and the user networks, with the containers on each
 * (a name opens that container); one opens in full (its inspect); create, remove, prune.
 */
export function NetworksView() {
  const list = useNetworkList();
  const networks = list.data ?? [];
  // By ID: the detail follows the list's answers (a container joining shows up in it).
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [pruning, setPruning] = useState(false);
  const [removing, setRemoving] = useState<NetworkSummary | null>(null);
  const userNetworks = networks.filter((n) => n.userDefined).length;
  const summary = list.data ? `${networks.length} ${networks.length === 1 ? 'network' : 'networks'}` : '';
  const open = openId === null ? undefined : networks.find((n) => n.id === openId);

  const dialogs = (
    <>
      {creating && <CreateNetworkDialog onClose={() => setCreating(false)} />}
      {pruning && <PruneNetworksDialog networks={networks} onClose={() => setPruning(false)} />}
      {removing && (
        <RemoveNetworkDialog
          network={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            if (removing.id === openId) setOpenId(null);
            setRemoving(null);
          }}
        />
      )}
    </>
  );

  if (openId !== null) {
    return (
      <>
        {open ? (
          <NetworkDetail network={open} onBack={() => setOpenId(null)} onRemove={() => setRemoving(open)} />
        ) : (
          <div className="view networks-view">
            <MissingDetail
              query={list}
              testId="network-missing"
              unreadable="The networks could not be listed."
              gone="There is no such network any more."
              backTo="Networks"
              onBack={() => setOpenId(null)}
            />
          </div>
        )}
        {dialogs}
      </>
    );
  }

  return (
    <div className="view networks-view">
      <ViewHeader title="Networks" summary={summary} summaryTestId="networks-summary">
        {userNetworks > 0 && (
          <button type="button" className="button" data-testid="networks-prune" onClick={() => setPruning(true)}>
            Prune
          </button>
        )}
        <button type="button" className="button button--primary" data-testid="networks-create" onClick={() => setCreating(true)}>
          Create network
        </button>
      </ViewHeader>
      <LoadedList query={list} noun="networks" errorTestId="networks-error">
        <NetworkTable networks={networks} onOpen={(n) => setOpenId(n.id)} onRemove={setRemoving} />
      </LoadedList>
      {dialogs}
    </div>
  );
}
