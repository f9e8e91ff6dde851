import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { formatBytes, relativeTime, shortId } from '../../../../../core/text/humanize';
import { CloseIcon, CompareIcon } from '../../../components/icons';
import { lastPartStart, MiddleTruncated } from '../../../components/MiddleTruncated';
import { Tabs, tabId, tabPanelId } from '../../../components/Tabs';
import { useImageDetail } from '../../../queries/imageQueries';
import { prefetchLayersTab } from '../../../queries/layerQueries';
import { type DetailTab, useUiStore } from '../../../state/uiStore';
import { PushButton } from '../../push/PushButton';
import { runName } from '../../run/imageMatch';
import { RunButton } from '../../run/RunButton';
import type { ImageRow } from '../imageRows';
import { ConfigSection } from './ConfigSection';
import { DagTab } from './dag/DagTab';
import { HistorySection } from './HistorySection';
import { platformLabel } from './imageText';
import { LayersTable } from './LayersTable';
import { LayersTab } from './layers/LayersTab';
import { OverviewSection } from './OverviewSection';
import { RawDocuments } from './RawDocuments';

const tabs: { id: DetailTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'layers', label: 'Layers' },
  { id: 'dag', label: 'DAG' },
];

/** The selected image, inspected: the summary from the list shows at once, the rest when it arrives. */
export function ImageDetailPanel({ row, onClose }: { row: ImageRow; onClose: () => void }) {
  const { image } = row;
  const detail = useImageDetail(row.key);
  const tab = useUiStore((s) => s.detailTab);
  const setDetailTab = useUiStore((s) => s.setDetailTab);
  const queryClient = useQueryClient();
  const setTab = (next: DetailTab) => {
    if (next === 'layers') prefetchLayersTab(queryClient, row.key);
    setDetailTab(next);
  };
  const setCompare = useUiStore((s) => s.setCompare);
  const setView = useUiStore((s) => s.setView);
  const idPrefix = useId();
  // The Layers tab stays mounted, hidden, once opened for this image: coming back to it shows the
  // tree as it was (scroll, selection, scope, filter) without building and laying it out again.
  const [layersOpened, setLayersOpened] = useState<string | null>(null);
  if (tab === 'layers' && layersOpened !== row.key) setLayersOpened(row.key);
  const keepLayers = tab === 'layers' || layersOpened === row.key;
  const title = image.reference === null ? 'Untagged image' : `${image.repository}:${image.tag}`;
  return (
    <aside
      className="panel detail"
      aria-label={`Details of ${title}`}
      data-testid="image-detail"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className="panel__header detail__header">
        <div className="panel__title detail__title">
          <h2 data-testid="detail-title">
            {/* One line however long the name: cut in its middle, the last part and the tag kept. */}
            <MiddleTruncated text={title} keepFrom={lastPartStart(title)} />
          </h2>
          <p className="detail__subtitle">
            <code>{shortId(image.id)}</code>
            <span>{platformLabel(image.platform)}</span>
            <span>{formatBytes(image.size)}</span>
            <span>{relativeTime(image.created)}</span>
          </p>
        </div>
        <RunButton image={runName(image)} variant="small" testId="detail-run" />
        <PushButton imageRef={row.key} reference={image.reference} title={title} />
        <button
          type="button"
          className="icon-button"
          aria-label="Compare with another image"
          title="Compare with another image"
          onClick={() => {
            setCompare('left', row.key);
            setView('compare');
          }}
        >
          <CompareIcon />
        </button>
        <button type="button" className="icon-button" aria-label="Close details" title="Close details" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <Tabs tabs={tabs} current={tab} onChange={setTab} idPrefix={idPrefix} label="Image details" />
      <div
        className={`detail__body${tab === 'overview' ? '' : ' detail__body--fill'}`}
        role="tabpanel"
        id={tabPanelId(idPrefix)}
        aria-labelledby={tabId(idPrefix, tab)}
      >
        {keepLayers && (
          <div className="detail__kept" hidden={tab !== 'layers'}>
            <LayersTab key={row.key} imageRef={row.key} layerCount={detail.data?.layers.length} />
          </div>
        )}
        {tab === 'layers' ? null : !detail.data ? (
          <p className="placeholder">{detail.isError ? 'This image could not be inspected.' : 'Loading…'}</p>
        ) : tab === 'dag' ? (
          <DagTab key={row.key} imageRef={row.key} detail={detail.data} />
        ) : (
          <>
            <OverviewSection detail={detail.data} />
            <LayersTable detail={detail.data} />
            <ConfigSection detail={detail.data} />
            <HistorySection detail={detail.data} />
            <RawDocuments detail={detail.data} />
          </>
        )}
      </div>
    </aside>
  );
}
