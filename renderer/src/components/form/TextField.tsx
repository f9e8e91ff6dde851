import { type ReactNode, useId } from 'react';
import { FormField } from './FormField';

/**
 * A one-line text field: its label, the input, and the hint or error under it. A field that is
 * checked passes `error` (a sentence, or null while the text is fine) and is marked invalid with
 * it; one that is not checked leaves it out.
 */
export function TextField({
  label,
  value,
  onChange,
  hint,
  error,
  placeholder,
  testId,
  mono = false,
  autoFocus = false,
  type,
  autoComplete = 'off',
  suggestions,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | null | undefined;
  placeholder?: string;
  testId: string;
  /** For paths, commands and names: the monospace font. */
  mono?: boolean;
  /** The field the dialog starts in (Dialog focuses it). */
  autoFocus?: boolean;
  type?: 'password';
  autoComplete?: string;
  /** Offered as the person types (a datalist); any other text is allowed. */
  suggestions?: string[];
}) {
  const id = useId();
  const hintId = useId();
  const listId = useId();
  return (
    <FormField label={label} htmlFor={id} hintId={hintId} hint={hint} error={error}>
      <input
        id={id}
        type={type}
        className={mono ? 'text-input text-input--mono' : 'text-input'}
        list={suggestions ? listId : undefined}
        value={value}
        data-autofocus={autoFocus || undefined}
        autoComplete={autoComplete}
        spellCheck={false}
        placeholder={placeholder}
        aria-invalid={error === undefined ? undefined : error !== null}
        aria-describedby={hint === undefined && error === undefined ? undefined : hintId}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
      {suggestions && (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </FormField>
  );
}
