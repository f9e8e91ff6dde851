import { useId } from 'react';
import { CloseIcon, SearchIcon } from '../../components/icons';

/** Filters the store graph by repository; the list offers the repositories there are. */
export function RepositoryFilter({
  value,
  onChange,
  repositories,
}: {
  value: string;
  onChange: (text: string) => void;
  repositories: readonly string[];
}) {
  const id = useId();
  const listId = useId();
  return (
    <div className="search">
      <label htmlFor={id} className="visually-hidden">
        Filter by repository
      </label>
      <SearchIcon className="search__icon" />
      <input
        id={id}
        type="search"
        list={listId}
        className="search__input"
        placeholder="Filter by repository"
        autoComplete="off"
        spellCheck={false}
        value={value}
        data-testid="repository-filter"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.stopPropagation();
            onChange('');
          }
        }}
      />
      <datalist id={listId}>
        {repositories.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      {value && (
        <button
          type="button"
          className="icon-button search__clear"
          aria-label="Clear the repository filter"
          onClick={() => onChange('')}
        >
          <CloseIcon />
        </button>
      )}
    </div>
  );
}
