import { useState } from 'react';
import type { VolumeSummary } from '../../../../core/api/volumes.schema';
import { TrashIcon } from '../../components/containerIcons';
import { LoadedList } from '../../components/LoadedList';
import { RelativeTime } from '../../components/RelativeTime';
import { ViewHeader } from '../../components/ViewHeader';
import { useContainerList } from '../../queries/containerQueries';
import { useVolumeList } from '../../queries/volumeQueries';
import { useUiStore } from '../../state/uiStore';
import { CreateVolumeDialog } from './CreateVolumeDialog';
import { PruneVolumesDialog } from './PruneVolumesDialog';
import { RemoveVolumeDialog } from './RemoveVolumeDialog';

/** The engine's volumes: who uses each (a name opens that container), create, remove, prune. */
export function VolumesView() {
  const list = useVolumeList();
  // Every container, stopped too: a stopped one still holds its volumes.
  const containers = useContainerList(true);
  const openContainer = useUiStore((s) => s.openContainer);
  const names = new Map((containers.data ?? []).map((c) => [c.id, c.name]));
  const volumes = list.data ?? [];
  const [creating, setCreating] = useState(false);
  const [pruning, setPruning] = useState(false);
  const [removing, setRemoving] = useState<VolumeSummary | null>(null);
  const summary = list.data ? `${volumes.length} ${volumes.length === 1 ? 'volume' : 'volumes'}` : '';

  return (
    <div className="view volumes-view">
      <ViewHeader title="Volumes" summary={summary} summaryTestId="volumes-summary">
        {volumes.length > 0 && (
          <button type="button" className="button" data-testid="volumes-prune" onClick={() => setPruning(true)}>
            Prune
          </button>
        )}
        <button type="button" className="button button--primary" data-testid="volumes-create" onClick={() => setCreating(true)}>
          Create volume
        </button>
      </ViewHeader>
      <LoadedList query={list} noun="volumes" errorTestId="volumes-error">
        {volumes.length === 0 ? (
          <p className="placeholder" data-testid="volumes-empty">
            No volumes yet. A container run with <code>-v NAME:/path</code> makes one, or create one here.
          </p>
        ) : (
          <div className="volumes-view__scroll">
            <table className="volume-table" data-testid="volumes-list">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Used by</th>
                  <th scope="col">Created</th>
                  <th scope="col">Mountpoint</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {volumes.map((v) => (
                  <tr key={v.name} data-testid="volume-row" data-name={v.name}>
                    <td className="volume-row__name" title={v.name}>
                      {v.anonymous ? <code>{v.name.slice(0, 12)}</code> : v.name}
                      {v.anonymous && <span className="volume-row__kind">anonymous</span>}
                    </td>
                    <td data-testid="volume-used-by">
                      {v.usedBy.length === 0 ? (
                        <span className="volume-row__unused">Unused</span>
                      ) : (
                        v.usedBy.map((id) => (
                          <button
                            key={id}
                            type="button"
                            className="link-button volume-row__user"
                            onClick={() => openContainer(id)}
                          >
                            {names.get(id) ?? id.slice(0, 12)}
                          </button>
                        ))
                      )}
                    </td>
                    <td>
                      <RelativeTime iso={v.createdAt} />
                    </td>
                    <td className="volume-row__mountpoint" title={v.mountpoint}>
                      <code>{v.mountpoint}</code>
                    </td>
                    <td className="volume-row__actions">
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Remove ${v.name}`}
                        title={`Remove ${v.name}`}
                        onClick={() => setRemoving(v)}
                      >
                        <TrashIcon />
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadedList>
      {creating && <CreateVolumeDialog onClose={() => setCreating(false)} />}
      {pruning && <PruneVolumesDialog volumes={volumes} onClose={() => setPruning(false)} />}
      {removing && <RemoveVolumeDialog volume={removing} names={names} onClose={() => setRemoving(null)} />}
    </div>
  );
}
