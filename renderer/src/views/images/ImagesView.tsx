import { useDeferredValue, useMemo } from 'react';
import { LoadedList } from '../../components/LoadedList';
import { ViewHeader } from '../../components/ViewHeader';
import { useImageList } from '../../queries/imageQueries';
import { useUiStore } from '../../state/uiStore';
import { PullButton } from '../pull/PullButton';
import { ImageDetailPanel } from './detail/ImageDetailPanel';
import { ImageList } from './ImageList';
import { ImageSearch } from './ImageSearch';
import { ImagesEmptyState } from './ImagesEmptyState';
import { filterRows, toRows } from './imageRows';

export function ImagesView() {
  const list = useImageList();
  const search = useUiStore((s) => s.imageSearch);
  const setSearch = useUiStore((s) => s.setImageSearch);
  const selectedKey = useUiStore((s) => s.selectedImage);
  const selectImage = useUiStore((s) => s.selectImage);
  const detailTab = useUiStore((s) => s.detailTab);
  // Typing stays responsive while a long list re-filters in the background.
  const deferredSearch = useDeferredValue(search);

  const allRows = useMemo(() => toRows(list.data ?? []), [list.data]);
  const rows = useMemo(() => filterRows(allRows, deferredSearch), [allRows, deferredSearch]);
  // A selection whose image is gone (removed, or the store changed under us) shows nothing.
  const selected = allRows.find((r) => r.key === selectedKey) ?? null;

  const total = allRows.length;
  const summary = !list.data
    ? ''
    : rows.length === total
      ? `${total.toLocaleString()} ${total === 1 ? 'image' : 'images'}`
      : `${rows.length.toLocaleString()} of ${total.toLocaleString()} images`;

  return (
    <div className="view images-view">
      <ViewHeader title="Images" summary={summary} summaryTestId="images-summary">
        {total > 0 && <ImageSearch />}
        <PullButton />
      </ViewHeader>
      {/* The Layers and DAG tabs need room: the list narrows to names beside them. */}
      <div
        className={`images-view__body${selected ? ' has-detail' : ''}${selected && detailTab !== 'overview' ? ' has-wide-detail' : ''}`}
      >
        <LoadedList query={list} noun="images" errorTestId="images-error">
          {total === 0 ? (
            <ImagesEmptyState />
          ) : (
            <>
              <div className="images-view__list">
                {rows.length > 0 ? (
                  <ImageList rows={rows} selectedKey={selected?.key ?? null} onSelect={selectImage} />
                ) : (
                  <div className="placeholder" data-testid="images-no-match">
                    <p>No images match “{deferredSearch.trim()}”.</p>
                    <button type="button" className="button" onClick={() => setSearch('')}>
                      Clear search
                    </button>
                  </div>
                )}
              </div>
              {selected && <ImageDetailPanel row={selected} onClose={() => selectImage(null)} />}
            </>
          )}
        </LoadedList>
      </div>
    </div>
  );
}
