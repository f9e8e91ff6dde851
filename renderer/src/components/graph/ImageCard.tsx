import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { formatBytes, shortId } from '../../../../core/api/humanize';
import { liveLabel } from '../../state/liveBlobs';
import { useLiveSum } from '../../state/useLiveBlob';
import { ImagesIcon } from '../icons';
import type { ImageCardData } from './graphModel';
import { LiveLine } from './LiveLine';

export type ImageFlowNode = Node<ImageCardData, 'image'>;

export const IMAGE_CARD = { width: 220, height: 72 };

/**
 * An image in the condensed store graph: its name, and its blobs no other image holds, folded in;
 * while a transfer moves some of those, their state summed ("Uploading 40% · 2/3": blobs over of those it moves).
 */
export const ImageCard = memo(function ImageCard({ data, selected }: NodeProps<ImageFlowNode>) {
  const { root, names, privateBlobs, privateBytes, folded } = data;
  const live = useLiveSum(folded);
  const [first, ...more] = names;
  const liveText = live && `${liveLabel({ ...live, from: undefined })} · ${live.finished}/${live.blobs}`;
  return (
    <div
      className={`dag-card is-image${selected ? ' is-selected' : ''}${live ? ` is-live is-live-${live.state}` : ''}`}
      data-testid="graph-image"
      data-digest={root.digest}
      data-live-state={live?.state}
      title={`${liveText ? `${liveText}${live?.error ? `: ${live.error}` : ''}\n` : ''}${names.join('\n')}\n${root.digest}`}
    >
      <div className="dag-card__top">
        <ImagesIcon width={13} height={13} className="dag-card__icon" />
        <span className="dag-card__name">{first}</span>
        {more.length > 0 && <span className="dag-card__more">+{more.length}</span>}
      </div>
      {live ? (
        <LiveLine live={live} label={liveText ?? ''} />
      ) : (
        <div className="dag-card__digest">
          <code>{shortId(root.digest)}</code>
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
