import type { ReactNode } from 'react';

/**
 * A labelled form field with a hint or an error under it (the error in its place while there is
 * one), the input tied to it by aria-describedby `hintId`.
 */
export function FormField({
  label,
  htmlFor,
  hint,
  error,
  hintId,
  children,
}: {
  label: string;
  htmlFor: string;
  hint?: ReactNode;
  error?: string | null | undefined;
  /** Needed when there can be a hint or an error. */
  hintId?: string;
  children: ReactNode;
}) {
  return (
    <div className={`form-field${error ? ' has-error' : ''}`}>
      <label htmlFor={htmlFor} className="form-field__label">
        {label}
      </label>
      {children}
      {(error || hint) && (
        <p id={hintId} className="form-field__hint" aria-live="polite">
          {error ?? hint}
        </p>
      )}
    </div>
  );
}
