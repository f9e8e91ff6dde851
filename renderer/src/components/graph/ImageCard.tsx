import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { formatBytes, formatCount, shortId } from '../../../../core/text/humanize';
import { liveLabel } from '../../state/liveBlobs';
import { useLiveSum } from '../../state/useLiveBlob';
import { ImagesIcon } from '../icons';
import type { ImageCardData } from './graphModel';
import { LiveLine } from './LiveLine';

export type ImageFlowNode = Node<ImageCardData, 'image'>;

export const IMAGE_CARD = { width: 220, height: 72 };
const GROUP_NAMES_IN_TITLE = 20;

/**
 * An image in the condensed store graph (or, in a big store, the images on the same shared blobs,
 * counted): its name, and its blobs no other image holds, folded in;
 * while a transfer moves some of those, their state summed ("Uploading 40% · 2/3": blobs over of those it moves).
 */
export const ImageCard = memo(function ImageCard({ data, selected }: NodeProps<ImageFlowNode>) {
  const { root, names, privateBlobs, privateBytes, folded, group } = data;
  const live = useLiveSum(folded);
  const [first, ...more] = names;
  const liveText = live && `${liveLabel({ ...live, from: undefined })} · ${live.finished}/${live.blobs}`;
  // A group names its first few images on hover; the panel lists them all.
  const who = group
    ? `${group.count} images on the same shared blobs:\n${names.slice(0, GROUP_NAMES_IN_TITLE).join('\n')}${names.length > GROUP_NAMES_IN_TITLE ? '\n…' : ''}`
    : `${names.join('\n')}\n${root.digest}`;
  return (
    <div
      className={`dag-card is-image${selected ? ' is-selected' : ''}${live ? ` is-live is-live-${live.state}` : ''}`}
      data-testid={group ? 'graph-image-group' : 'graph-image'}
      data-digest={group ? undefined : root.digest}
      data-group-count={group?.count}
      data-live-state={live?.state}
      title={`${liveText ? `${liveText}${live?.error ? `: ${live.error}` : ''}\n` : ''}${who}`}
    >
      <div className="dag-card__top">
        <ImagesIcon width={13} height={13} className="dag-card__icon" />
        <span className="dag-card__name">{group ? `${formatCount(group.count)} images` : first}</span>
        {!group && more.length > 0 && <span className="dag-card__more">+{more.length}</span>}
      </div>
      {live ? (
        <LiveLine live={live} label={liveText ?? ''} />
      ) : (
        <div className="dag-card__digest">
          {group ? <span className="dag-card__name">{`${first}, …`}</span> : <code>{shortId(root.digest)}</code>}
          <span
            className="dag-card__own"
            title={`${privateBlobs} ${privateBlobs === 1 ? 'blob' : 'blobs'} only this image holds (${formatBytes(privateBytes)}), folded into this card`}
          >
            {privateBlobs} own · {formatBytes(privateBytes)}
          </span>
        </div>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});
