import { useId, useState } from 'react';
import type { RegistryInfo } from '../../../../core/api/registry.schema';
import { formatCount } from '../../../../core/text/humanize';
import { sentence } from '../../components/useSubmit';
import { CATALOG_LIMIT, useCatalog } from '../../queries/registryQueries';
import { TagList } from './TagList';

const repositoryPattern = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
/** Below this many repositories a filter box is clutter. */
const FILTER_FROM = 8;

/**
 * The registry's repositories from its catalog, where it allows listing them (many allow it
 * only to admins, or not at all), or typed by name; and the chosen repository's tags.
 */
export function RepositoryBrowser({ registry, onLogin }: { registry: RegistryInfo; onLogin: () => void }) {
  const catalog = useCatalog(registry.host);
  const [repository, setRepository] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [typed, setTyped] = useState('');
  const filterId = useId();
  const openId = useId();
  const headingId = useId();

  const typedName = typed.trim().replace(/^\/+|\/+$/g, '');
  const typedValid = repositoryPattern.test(typedName);
  const repositories = catalog.data?.ok ? catalog.data.value.repositories : [];
  const needle = filter.trim().toLowerCase();
  const shown = needle ? repositories.filter((r) => r.includes(needle)) : repositories;

  return (
    <div className="repo-browser">
      <section className="repo-browser__repos" aria-labelledby={headingId}>
        <div className="repo-browser__head">
          <h3 id={headingId}>Repositories</h3>
          {catalog.data?.ok && <span className="count">{formatCount(repositories.length)}</span>}
          <button
            type="button"
            className="button button--small repo-browser__refresh"
            disabled={catalog.isFetching}
            onClick={() => void catalog.refetch()}
          >
            {catalog.isFetching ? 'Loading…' : 'Refresh'}
          </button>
        </div>
        {catalog.isPending ? (
          <p className="repo-browser__note">Asking {registry.host} for its catalog…</p>
        ) : catalog.isError ? (
          <p className="repo-browser__note">The catalog could not be asked for.</p>
        ) : !catalog.data.ok ? (
          <div className="notice" data-testid="catalog-refused">
            <p>
              <strong>
                {registry.host} does not list its repositories{registry.username ? ` to ${registry.username}` : ''}.
              </strong>{' '}
              {sentence(catalog.data.message)}.
            </p>
            <p>Open a repository by name below to see its tags.</p>
            {catalog.data.code === 'UNAUTHORIZED' && !registry.username && (
              <button type="button" className="button button--small" onClick={onLogin}>
                Log in
              </button>
            )}
          </div>
        ) : repositories.length === 0 ? (
          <p className="repo-browser__note" data-testid="catalog-empty">
            No repositories yet.
          </p>
        ) : (
          <>
            {repositories.length >= FILTER_FROM && (
              <>
                <label htmlFor={filterId} className="visually-hidden">
                  Filter repositories
                </label>
                <input
                  id={filterId}
                  type="search"
                  className="text-input text-input--small"
                  placeholder="Filter"
                  value={filter}
                  onChange={(e) => setFilter(e.target.value)}
                />
              </>
            )}
            <ul className="repo-list" data-testid="catalog">
              {shown.map((name) => (
                <li key={name}>
                  <button
                    type="button"
                    className="repo-list__item"
                    aria-current={name === repository ? 'true' : undefined}
                    data-testid="catalog-repository"
                    onClick={() => setRepository(name)}
                  >
                    {name}
                  </button>
                </li>
              ))}
            </ul>
            {repositories.length >= CATALOG_LIMIT && (
              <p className="repo-browser__note">The first {formatCount(CATALOG_LIMIT)} repositories.</p>
            )}
          </>
        )}
        <form
          className="repo-browser__open"
          onSubmit={(e) => {
            e.preventDefault();
            if (typedValid) setRepository(typedName);
          }}
        >
          <label htmlFor={openId} className="form-field__label">
            Open a repository
          </label>
          <div className="repo-browser__open-row">
            <input
              id={openId}
              className="text-input text-input--small"
              placeholder="team/app"
              autoComplete="off"
              spellCheck={false}
              value={typed}
              aria-invalid={typedName !== '' && !typedValid}
              data-testid="open-repository"
              onChange={(e) => setTyped(e.target.value)}
            />
            <button type="submit" className="button button--small" disabled={!typedValid}>
              Open
            </button>
          </div>
        </form>
      </section>
      {repository ? (
        <TagList key={repository} host={registry.host} repository={repository} />
      ) : (
        <p className="repo-browser__tags placeholder">Choose a repository to see its tags.</p>
      )}
    </div>
  );
}
