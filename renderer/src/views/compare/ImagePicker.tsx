import { useId } from 'react';
import { shortId } from '../../../../core/text/humanize';
import type { ImageRow } from '../images/imageRows';

export function rowLabel(row: ImageRow): string {
  const { image } = row;
  return image.reference === null ? `<none> ${shortId(image.id)}` : `${image.repository}:${image.tag}`;
}

/** Chooses one side of a comparison among the store's images. */
export function ImagePicker({
  label,
  rows,
  value,
  onChange,
  testId,
}: {
  label: string;
  rows: readonly ImageRow[];
  value: string | null;
  onChange: (key: string | null) => void;
  testId: string;
}) {
  const id = useId();
  const chosen = rows.find((r) => r.key === value);
  return (
    <div className="picker">
      <label htmlFor={id} className="picker__label">
        {label}
      </label>
      <select
        id={id}
        className="picker__select"
        value={value ?? ''}
        // The select is held to its column and cuts a long name: the whole of it on hover.
        title={chosen ? rowLabel(chosen) : undefined}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value || null)}
      >
        <option value="">Choose an image…</option>
        {rows.map((row) => (
          <option key={row.key} value={row.key}>
            {rowLabel(row)}
          </option>
        ))}
      </select>
    </div>
  );
}
