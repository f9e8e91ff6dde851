import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { RegistryInfo } from '../../../../core/api/registry.schema';
import { invoke } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/form/FormError';
import { useSubmit } from '../../components/useSubmit';
import { registryKeys } from '../../queries/registryQueries';
import { LoginDialog } from './LoginDialog';
import { RepositoryBrowser } from './RepositoryBrowser';

/** One registry: who is logged in, its settings, and what it holds. */
export function RegistryPanel({ registry }: { registry: RegistryInfo }) {
  const queryClient = useQueryClient();
  const [loggingIn, setLoggingIn] = useState(false);
  const [removing, setRemoving] = useState(false);
  const logout = useSubmit();
  const titleId = useId();

  const onLogout = () =>
    void logout.run(async () => {
      await invoke('registry.logout', { registry: registry.host });
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
    });

  return (
    <section className="panel registry-panel" aria-labelledby={titleId} data-testid="registry-panel">
      <header className="panel__header registry-panel__header">
        <div className="panel__title registry-panel__title">
          <h2 id={titleId} data-testid="registry-panel-host">
            {registry.host}
          </h2>
          <p className="registry-panel__subtitle" data-testid="registry-login-state">
            {registry.username ? (
              <>
                Logged in as <strong>{registry.username}</strong>
              </>
            ) : (
              'Not logged in'
            )}
            {registry.insecure && <span> · plain http and unverified TLS allowed</span>}
            {registry.hasCa && <span> · trusts its own CA certificate</span>}
            {!registry.added && <span> · known from Docker's config.json</span>}
          </p>
        </div>
        {registry.username ? (
          <button type="button" className="button" disabled={logout.pending} data-testid="logout-button" onClick={onLogout}>
            {logout.pending ? 'Logging out…' : 'Log out'}
          </button>
        ) : (
          <button type="button" className="button" data-testid="login-button" onClick={() => setLoggingIn(true)}>
            Log in
          </button>
        )}
        {registry.added && (
          <button type="button" className="button button--danger" data-testid="remove-registry" onClick={() => setRemoving(true)}>
            Remove
          </button>
        )}
      </header>
      {logout.error && (
        <p className="form-error registry-panel__error" role="alert">
          {logout.error}
        </p>
      )}
      <RepositoryBrowser registry={registry} onLogin={() => setLoggingIn(true)} />
      {loggingIn && <LoginDialog host={registry.host} username={registry.username} onClose={() => setLoggingIn(false)} />}
      {removing && <RemoveRegistryDialog registry={registry} onClose={() => setRemoving(false)} />}
    </section>
  );
}

function RemoveRegistryDialog({ registry, onClose }: { registry: RegistryInfo; onClose: () => void }) {
  const queryClient = useQueryClient();
  const submit = useSubmit();
  const onSubmit = () =>
    void submit.run(async () => {
      await invoke('registry.remove', { registry: registry.host });
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
      onClose();
    });
  return (
    <Dialog
      title={`Remove ${registry.host}?`}
      description={
        registry.hasCa
          ? 'Its settings and the CA certificate kept for it are deleted. A login stays in Docker’s config until you log out.'
          : 'Its settings are deleted. A login stays in Docker’s config until you log out.'
      }
      testId="remove-registry-dialog"
      onClose={onClose}
      onSubmit={onSubmit}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--danger" disabled={submit.pending}>
            Remove
          </button>
        </>
      }
    >
      <FormError error={submit.error} />
    </Dialog>
  );
}
