import { useId } from 'react';

/** A checkbox inside its label; `quiet` for one in a view's header, beside buttons. */
export function Checkbox({
  label,
  checked,
  onChange,
  testId,
  quiet = false,
  describedBy,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
  quiet?: boolean;
  describedBy?: string | undefined;
}) {
  const id = useId();
  return (
    <label className={quiet ? 'check check--quiet' : 'check'} htmlFor={id}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={describedBy}
        data-testid={testId}
        onChange={(e) => onChange(e.target.checked)}
      />
      {label}
    </label>
  );
}
