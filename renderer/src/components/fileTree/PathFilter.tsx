import { useId } from 'react';
import { CloseIcon, SearchIcon } from '../icons';

/** The text box that filters a file tree by path. */
export function PathFilter({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const id = useId();
  return (
    <div className="search search--compact">
      <label htmlFor={id} className="visually-hidden">
        Filter paths
      </label>
      <SearchIcon className="search__icon" />
      <input
        id={id}
        type="search"
        className="search__input"
        placeholder="Filter paths"
        autoComplete="off"
        spellCheck={false}
        value={value}
        data-testid="path-filter"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.stopPropagation();
            onChange('');
          }
        }}
      />
      {value && (
        <button
          type="button"
          className="icon-button search__clear"
          aria-label="Clear the path filter"
          onClick={() => onChange('')}
        >
          <CloseIcon />
        </button>
      )}
    </div>
  );
}
