import { memo } from 'react';
import { formatBytes, relativeTime, shortId } from '../../../../core/text/humanize';
import { TrashIcon } from '../../components/containerIcons';
import { useTimeOfDrawing } from '../../components/drawnAhead';
import { TagIcon } from '../../components/icons';
import { lastPartStart, MiddleTruncated } from '../../components/MiddleTruncated';
import { runName } from '../run/imageMatch';
import { RunButton } from '../run/RunButton';
import type { ImageRow } from './imageRows';
import { displayName } from './removalPlan';

interface Props {
  row: ImageRow;
  index: number;
  count: number;
  selected: boolean;
  top: number;
  onSelect: (key: string) => void;
  /** Picked with its box for an action on several (delete). */
  checked: boolean;
  onCheck: (key: string, checked: boolean) => void;
  /** The containers standing on the image, if any. */
  usedBy: string[] | undefined;
  onDelete: (key: string) => void;
  onTag: (key: string) => void;
}

export const rowDomId = (index: number) => `image-option-${index}`;

/** One image in the list; the list, not the row, takes focus and handles keys (aria-activedescendant). */
export const ImageListRow = memo(function ImageListRow({
  row,
  index,
  count,
  selected,
  top,
  onSelect,
  checked,
  onCheck,
  usedBy,
  onDelete,
  onTag,
}: Props) {
  const { image } = row;
  const now = useTimeOfDrawing();
  const untagged = image.reference === null;
  const name = displayName(row);
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
      {/* The box picks; a click beside it opens. */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: only stops the row's click, the box inside takes the input */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: as above */}
      <span className="image-row__check" onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          aria-label={`Select ${name}`}
          checked={checked}
          onChange={(e) => onCheck(row.key, e.target.checked)}
        />
      </span>
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
        {usedBy && (
          <span className="badge badge--in-use" data-testid="row-in-use" title={`Used by ${usedBy.join(', ')}`}>
            In use
          </span>
        )}
      </span>
      <code className="image-row__id" data-testid="row-id">
        {shortId(image.id)}
      </code>
      <span className="image-row__created" title={image.created ?? undefined}>
        {relativeTime(image.created, now)}
      </span>
      <span className="image-row__pulled" title={image.pulledAt ?? 'Never pulled: loaded, built or tagged here'}>
        {image.pulledAt ? relativeTime(image.pulledAt, now) : '—'}
      </span>
      <span className="image-row__size">{formatBytes(image.size)}</span>
      <span className="image-row__shared">{formatBytes(image.sharedSize)}</span>
      <span className="image-row__actions">
        <RunButton image={runName(image)} variant="icon" testId="row-run" />
        <button
          type="button"
          className="icon-button"
          aria-label={`Tag ${name}`}
          title={`Tag ${name}`}
          data-testid="row-tag-action"
          onClick={(e) => {
            e.stopPropagation();
            onTag(row.key);
          }}
        >
          <TagIcon />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`Delete ${name}`}
          title={`Delete ${name}`}
          data-testid="row-delete"
          onClick={(e) => {
            e.stopPropagation();
            onDelete(row.key);
          }}
        >
          <TrashIcon />
        </button>
      </span>
    </div>
  );
});
