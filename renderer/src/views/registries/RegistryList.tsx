import type { RegistryInfo } from '../../../../core/api/registry.schema';
import { LockIcon, UserIcon } from '../../components/transferIcons';

/** The registries, one button each; the chosen one opens beside the list. */
export function RegistryList({
  registries,
  selected,
  onSelect,
}: {
  registries: RegistryInfo[];
  selected: string;
  onSelect: (host: string) => void;
}) {
  return (
    <nav className="registry-list" aria-label="Registries">
      <ul>
        {registries.map((r) => (
          <li key={r.host}>
            <button
              type="button"
              className="registry-list__item"
              aria-current={r.host === selected ? 'true' : undefined}
              data-testid="registry-item"
              data-host={r.host}
              onClick={() => onSelect(r.host)}
            >
              <span className="registry-list__host">{r.host}</span>
              <span className="registry-list__meta">
                {r.username ? (
                  <span className="registry-list__user">
                    <UserIcon width={12} height={12} />
                    {r.username}
                  </span>
                ) : (
                  <span>Not logged in</span>
                )}
                {r.insecure && <span className="badge badge--warning">insecure</span>}
                {r.hasCa && (
                  <span className="badge" title="A CA certificate is trusted for this registry">
                    <LockIcon width={11} height={11} />
                    CA
                  </span>
                )}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
