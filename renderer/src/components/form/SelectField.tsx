import { type ReactNode, useId } from 'react';
import { FormField } from './FormField';

/** A labelled choice among `children`, the <option>s; `onChange` gets the chosen option's value. */
export function SelectField<V extends string>({
  label,
  value,
  onChange,
  testId,
  children,
}: {
  label: string;
  value: V;
  onChange: (value: V) => void;
  testId: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <FormField label={label} htmlFor={id}>
      <select
        id={id}
        className="select-input"
        value={value}
        data-testid={testId}
        // The options are the caller's values of V.
        onChange={(e) => onChange(e.target.value as V)}
      >
        {children}
      </select>
    </FormField>
  );
}
