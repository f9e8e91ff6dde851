import { useId } from 'react';
import type { NetworkSummary } from '../../../../core/api/networks.schema';
import { BackButton } from '../../components/BackButton';
import { TrashIcon } from '../../components/containerIcons';
import { Digest } from '../../components/Digest';
import { useUiStore } from '../../state/uiStore';
import { Field, None, Section } from '../images/detail/Section';

/** `network inspect` as a person reads it: its addresses, then every container on it (one opens its detail). */
export function NetworkDetail({
  network,
  onBack,
  onRemove,
}: {
  network: NetworkSummary;
  onBack: () => void;
  onRemove: () => void;
}) {
  const openContainer = useUiStore((s) => s.openContainer);
  const titleId = useId();
  const labels = Object.entries(network.labels);
  return (
    <div className="view networks-view">
      <div className="view-header">
        <BackButton to="Networks" testId="network-back" onBack={onBack} />
      </div>
      <article className="panel view-detail" aria-labelledby={titleId} data-testid="network-detail" data-name={network.name}>
        <header className="panel__header">
          <div className="panel__title">
            <div className="view-detail__name">
              <h1 id={titleId}>{network.name}</h1>
              {!network.userDefined && <span className="network-row__kind">built in</span>}
            </div>
            <p className="detail__subtitle">
              <code title={network.id}>{network.id.slice(0, 12)}</code>
              <span>{network.driver}</span>
              {network.subnet && <code>{network.subnet}</code>}
            </p>
          </div>
          {network.userDefined && (
            <button type="button" className="button button--with-icon button--danger" onClick={onRemove}>
              <TrashIcon />
              Remove
            </button>
          )}
        </header>
        <div className="network-detail__body">
          <Section title="Overview">
            <dl className="fields">
              <Field label="ID">
                <Digest value={network.id} label="network ID" full testId="network-id" />
              </Field>
              <Field label="Driver">{network.driver}</Field>
              <Field label="Subnet">{network.subnet ? <code>{network.subnet}</code> : <None />}</Field>
              <Field label="Gateway">{network.gateway ? <code>{network.gateway}</code> : <None />}</Field>
              <Field label="Bridge">{network.bridge ? <code>{network.bridge}</code> : <None />}</Field>
              <Field label="Internal">{network.internal ? 'Yes: no traffic leaves it' : 'No'}</Field>
              <Field label="Created">{network.created ? new Date(network.created).toLocaleString() : <None />}</Field>
              <Field label="Labels">
                {labels.length === 0 ? (
                  <None />
                ) : (
                  labels.map(([key, value]) => (
                    <code key={key} className="muted-line">
                      {key}={value}
                    </code>
                  ))
                )}
              </Field>
            </dl>
          </Section>
          <Section title={`Containers (${network.containers.length})`} testId="network-containers-section">
            {network.containers.length === 0 ? (
              <p className="network-detail__empty">No container names this network.</p>
            ) : (
              <div className="table-scroll">
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">Container</th>
                      <th scope="col">IP address</th>
                      <th scope="col">MAC address</th>
                      <th scope="col">Aliases</th>
                    </tr>
                  </thead>
                  <tbody>
                    {network.containers.map((c) => (
                      <tr key={c.id} data-testid="network-container">
                        <td>
                          <button type="button" className="link-button" onClick={() => openContainer(c.id)}>
                            {c.name}
                          </button>
                        </td>
                        {/* A stopped container has no address: it gets one each time it starts. */}
                        <td>{c.ipAddress ? <code>{c.ipAddress}</code> : <span className="none">not running</span>}</td>
                        <td>{c.macAddress ? <code>{c.macAddress}</code> : <None />}</td>
                        <td>{c.aliases.length > 0 ? c.aliases.join(', ') : <None />}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
        </div>
      </article>
    </div>
  );
}
