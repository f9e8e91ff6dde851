import { useId } from 'react';
import { Checkbox } from './Checkbox';

/** A form's checkbox, with a hint under it when it needs one. */
export function CheckField({
  label,
  checked,
  onChange,
  hint,
  testId,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  testId: string;
}) {
  const hintId = useId();
  return (
    <div className="form-field form-field--check">
      <Checkbox label={label} checked={checked} onChange={onChange} testId={testId} describedBy={hint ? hintId : undefined} />
      {hint && (
        <p id={hintId} className="form-field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
