import { useId } from 'react';
import { CloseIcon, SearchIcon } from './icons';

export interface SearchBoxProps {
  value: string;
  onChange: (text: string) => void;
  /** Read by screen readers; the placeholder is what people see. */
  label: string;
  placeholder: string;
  clearLabel: string;
  testId: string;
  compact?: boolean;
}

/** A search field that Escape (or its clear button) empties, without closing what is behind it. */
export function SearchBox({ value, onChange, label, placeholder, clearLabel, testId, compact = false }: SearchBoxProps) {
  const id = useId();
  return (
    <div className={compact ? 'search search--compact' : 'search'}>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <SearchIcon className="search__icon" />
      <input
        id={id}
        type="search"
        className="search__input"
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        value={value}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.stopPropagation();
            onChange('');
          }
        }}
      />
      {value && (
        <button type="button" className="icon-button search__clear" aria-label={clearLabel} onClick={() => onChange('')}>
          <CloseIcon />
        </button>
      )}
    </div>
  );
}
