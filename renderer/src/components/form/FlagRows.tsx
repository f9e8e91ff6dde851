import { useEffect, useId, useRef } from 'react';
import { CloseIcon } from '../icons';

/** One row of a repeatable flag (a port, a variable, a volume); the id keeps React's key stable. */
export interface FlagRow {
  id: number;
  text: string;
}

let nextRowId = 1;
export const newRow = (text = ''): FlagRow => ({ id: nextRowId++, text });

/** The rows' texts the engine gets: empty rows are ignored, not errors. */
export const rowValues = (rows: FlagRow[]): string[] => rows.map((r) => r.text.trim()).filter((t) => t !== '');

/**
 * A repeatable flag as rows of text fields, each checked as it is typed (`check` returns a
 * sentence, or null), with buttons to add a row and to remove one.
 */
export function FlagRows({
  legend,
  itemLabel,
  addLabel,
  placeholder,
  hint,
  rows,
  check,
  onChange,
  testId,
}: {
  legend: string;
  /** Names one row for screen readers and tests: "Port" gives "Port 1", "Remove port 1". */
  itemLabel: string;
  addLabel: string;
  placeholder: string;
  hint?: string | undefined;
  rows: FlagRow[];
  check: (text: string) => string | null;
  onChange: (rows: FlagRow[]) => void;
  testId: string;
}) {
  const idPrefix = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const focusLast = useRef(false);
  // A row just added takes the focus, so Add then typing works without the mouse.
  useEffect(() => {
    if (!focusLast.current) return;
    focusLast.current = false;
    const inputs = listRef.current?.querySelectorAll('input');
    inputs?.[inputs.length - 1]?.focus();
  });
  const hintId = `${idPrefix}-hint`;
  return (
    <fieldset className="flag-rows" data-testid={testId}>
      <legend className="form-field__label">{legend}</legend>
      {hint && (
        <p id={hintId} className="form-field__hint">
          {hint}
        </p>
      )}
      {rows.length > 0 && (
        <ul className="flag-rows__list" ref={listRef}>
          {rows.map((row, index) => {
            const problem = row.text.trim() === '' ? null : check(row.text);
            const errorId = `${idPrefix}-error-${row.id}`;
            const label = `${itemLabel} ${index + 1}`;
            return (
              <li key={row.id} className={`flag-rows__row${problem ? ' has-error' : ''}`}>
                <div className="flag-rows__line">
                  <input
                    className="text-input text-input--mono"
                    aria-label={label}
                    aria-invalid={problem !== null}
                    aria-describedby={problem ? errorId : hint ? hintId : undefined}
                    placeholder={placeholder}
                    autoComplete="off"
                    spellCheck={false}
                    value={row.text}
                    onChange={(e) => onChange(rows.map((r) => (r.id === row.id ? { ...r, text: e.target.value } : r)))}
                  />
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove ${label.toLowerCase()}`}
                    title={`Remove ${label.toLowerCase()}`}
                    onClick={() => onChange(rows.filter((r) => r.id !== row.id))}
                  >
                    <CloseIcon />
                  </button>
                </div>
                {problem && (
                  <p id={errorId} className="form-field__hint flag-rows__error" aria-live="polite">
                    {problem}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <button
        type="button"
        className="button button--small flag-rows__add"
        onClick={() => {
          focusLast.current = true;
          onChange([...rows, newRow()]);
        }}
      >
        {addLabel}
      </button>
    </fieldset>
  );
}

/** Whether every non-empty row passes its check. */
export function rowsValid(rows: FlagRow[], check: (text: string) => string | null): boolean {
  return rows.every((r) => r.text.trim() === '' || check(r.text) === null);
}
