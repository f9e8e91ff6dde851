import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { formatBytes, shortId } from '../../../../core/text/humanize';
import { liveLabel } from '../../state/liveBlobs';
import { useLiveBlob } from '../../state/useLiveBlob';
import { CopyButton } from '../CopyButton';
import { LinkIcon } from '../icons';
import type { BlobCardData } from './graphModel';
import { LiveLine } from './LiveLine';

export type BlobFlowNode = Node<BlobCardData, 'blob'>;

export const BLOB_CARD = { width: 200, height: 96 };

const kindLabels = { index: 'Index', manifest: 'Manifest', config: 'Config', layer: 'Layer' } as const;

/** "alpha/api, beta/db", or "14 images: alpha/api, beta/db, …": the card has two lines; the panel lists them all. */
export function namesSummary(names: readonly string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.length} images: ${names.slice(0, 2).join(', ')}, …`;
}

/**
 * One blob: its kind, short digest (a click copies all of it), size, and which other images hold it;
 * while a pull or push moves it, its state instead (live: a blob that failed says why on hover).
 */
export const BlobCard = memo(function BlobCard({ data, selected }: NodeProps<BlobFlowNode>) {
  const { blob, sharedWith, direction, label, imageNames } = data;
  const live = useLiveBlob(blob.digest);
  const shared = sharedWith.length > 0;
  const vertical = direction === 'DOWN';
  // While live, the state takes the card's last line: the image a manifest is stays named on hover.
  const about = `${live && imageNames ? `${imageNames.join('\n')}\n` : ''}${blob.mediaType}\n${blob.digest}${shared ? `\nShared with: ${sharedWith.join(', ')}` : ''}`;
  return (
    <div
      className={`dag-card is-${blob.kind}${shared ? ' is-shared' : ''}${blob.present || live ? '' : ' is-absent'}${selected ? ' is-selected' : ''}${live ? ` is-live is-live-${live.state}` : ''}`}
      data-testid="dag-node"
      data-kind={blob.kind}
      data-digest={blob.digest}
      data-shared={shared}
      data-live-state={live?.state}
      data-live-percent={live?.percent}
      title={live ? `${liveLabel(live)}${live.error ? `: ${live.error}` : ''}\n${about}` : about}
    >
      <Handle type="target" position={vertical ? Position.Top : Position.Left} isConnectable={false} />
      <div className="dag-card__top">
        <span className="dag-card__kind">{label ?? kindLabels[blob.kind]}</span>
        {blob.platform && <span className="dag-card__platform">{blob.platform}</span>}
        <span className="dag-card__size">{formatBytes(blob.size)}</span>
      </div>
      <div className="dag-card__digest">
        <code>{shortId(blob.digest)}</code>
        <CopyButton text={blob.digest} label={`Copy the ${kindLabels[blob.kind].toLowerCase()} digest`} />
      </div>
      {live ? (
        <LiveLine live={live} label={liveLabel(live)} />
      ) : shared ? (
        <div className="dag-card__shared" data-testid="dag-node-shared">
          <LinkIcon width={12} height={12} />
          <span>Shared with {namesSummary(sharedWith)}</span>
        </div>
      ) : imageNames ? (
        <div className="dag-card__image" data-testid="dag-node-image" title={imageNames.join('\n')}>
          {namesSummary(imageNames)}
        </div>
      ) : !blob.present ? (
        <div className="dag-card__note">not in the store</div>
      ) : null}
      <Handle type="source" position={vertical ? Position.Bottom : Position.Right} isConnectable={false} />
    </div>
  );
});
