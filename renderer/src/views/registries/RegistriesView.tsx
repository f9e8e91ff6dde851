import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { RegistryIcon } from '../../components/transferIcons';
import { useRegistryList } from '../../queries/registryQueries';
import { AddRegistryDialog } from './AddRegistryDialog';
import { RegistryList } from './RegistryList';
import { RegistryPanel } from './RegistryPanel';

/**
 * The registries added here (and those Docker's config has a login for): add one, log in or
 * out, and browse its repositories and tags, pulling a tag with one click.
 */
export function RegistriesView() {
  const list = useRegistryList();
  const [selected, setSelected] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const registries = list.data ?? [];
  const current = registries.find((r) => r.host === selected) ?? registries[0] ?? null;
  const count = registries.length;

  return (
    <div className="view registries-view">
      <div className="view-header">
        <div className="view-header__title">
          <h1>Registries</h1>
          {list.data && (
            <span className="view-header__summary" data-testid="registries-summary">
              {count} {count === 1 ? 'registry' : 'registries'}
            </span>
          )}
        </div>
        <button type="button" className="button button--primary" data-testid="add-registry" onClick={() => setAdding(true)}>
          Add registry
        </button>
      </div>
      {list.isPending ? (
        <div className="placeholder">Loading registries…</div>
      ) : !current ? (
        <EmptyState icon={RegistryIcon} title="No registries yet" testId="registries-empty">
          <p>
            Add a registry to log in to it and browse its repositories. Public images pull without one: use Pull in Images with a
            name such as <code>busybox</code> or <code>ghcr.io/owner/app:1.0</code>.
          </p>
          <button type="button" className="button button--primary" onClick={() => setAdding(true)}>
            Add registry
          </button>
        </EmptyState>
      ) : (
        <div className="registries-view__body">
          <RegistryList registries={registries} selected={current.host} onSelect={setSelected} />
          <RegistryPanel key={current.host} registry={current} />
        </div>
      )}
      {adding && <AddRegistryDialog onClose={() => setAdding(false)} onAdded={setSelected} />}
    </div>
  );
}
