import { memo } from 'react';
import { formatBytes, relativeTime, shortId } from '../../../../core/api/humanize';
import { lastPartStart, MiddleTruncated } from '../../components/MiddleTruncated';
import { runName } from '../run/imageMatch';
import { RunButton } from '../run/RunButton';
import type { ImageRow } from './imageRows';

interface Props {
  row: ImageRow;
  index: number;
  count: number;
  selected: boolean;
  top: number;
  onSelect: (key: string) => void;
}

export const rowDomId = (index: number) => `image-option-${index}`;

/** One image in the list; the list, not the row, takes focus and handles keys (aria-activedescendant). */
export const ImageListRow = memo(function ImageListRow({ row, index, count, selected, top, onSelect }: Props) {
  const { image } = row;
  const untagged = image.reference === null;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox handles the keyboard for its options
    // biome-ignore lint/a11y/useFocusableInteractive: focus stays on the listbox, which points here with aria-activedescendant
    <div
      id={rowDomId(index)}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={count}
      className="image-row"
      data-testid="image-row"
      data-key={row.key}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onSelect(row.key)}
    >
      {/* Beside a detail the column narrows: names that share a registry and path keep their own end. */}
      <MiddleTruncated
        text={image.repository}
        keepFrom={lastPartStart(image.repository)}
        className={`image-row__repo${untagged ? ' is-none' : ''}`}
        testId="row-repository"
      />
      <span className="image-row__tag">
        <span className={`tag${untagged ? ' is-none' : ''}`} data-testid="row-tag" title={image.tag}>
          {image.tag}
        </span>
      </span>
      <code className="image-row__id" data-testid="row-id">
        {shortId(image.id)}
      </code>
      <span className="image-row__created" title={image.created ?? undefined}>
        {relativeTime(image.created)}
      </span>
      <span className="image-row__size">{formatBytes(image.size)}</span>
      <span className="image-row__shared">{formatBytes(image.sharedSize)}</span>
      <span className="image-row__actions">
        <RunButton image={runName(image)} variant="icon" testId="row-run" />
      </span>
    </div>
  );
});
