import { useId } from 'react';
import { CloseIcon, SearchIcon } from '../../components/icons';
import { useUiStore } from '../../state/uiStore';

export function ImageSearch() {
  const search = useUiStore((s) => s.imageSearch);
  const setSearch = useUiStore((s) => s.setImageSearch);
  const id = useId();
  return (
    <div className="search">
      <label htmlFor={id} className="visually-hidden">
        Search images
      </label>
      <SearchIcon className="search__icon" />
      <input
        id={id}
        type="search"
        className="search__input"
        placeholder="Search by repository, tag or ID"
        autoComplete="off"
        spellCheck={false}
        value={search}
        data-testid="images-search"
        onChange={(e) => setSearch(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && search) {
            e.stopPropagation();
            setSearch('');
          }
        }}
      />
      {search && (
        <button type="button" className="icon-button search__clear" aria-label="Clear search" onClick={() => setSearch('')}>
          <CloseIcon />
        </button>
      )}
    </div>
  );
}
