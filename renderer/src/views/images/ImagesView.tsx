import { useDeferredValue, useMemo } from 'react';
import { CloseIcon } from '../../components/icons';
import { LoadedList } from '../../components/LoadedList';
import { ViewHeader } from '../../components/ViewHeader';
import { useImageList } from '../../queries/imageQueries';
import { useUiStore } from '../../state/uiStore';
import { PullButton } from '../pull/PullButton';
import { ImageDetailPanel } from './detail/ImageDetailPanel';
import { ImageList } from './ImageList';
import { ImageSearch } from './ImageSearch';
import { ImagesEmptyState } from './ImagesEmptyState';
import { filterRows, rowsNamed, toRows } from './imageRows';

export function ImagesView() {
  const list = useImageList();
  const search = useUiStore((s) => s.imageSearch);
  const setSearch = useUiStore((s) => s.setImageSearch);
  const selectedKey = useUiStore((s) => s.selectedImage);
  const selectImage = useUiStore((s) => s.selectImage);
  const detailTab = useUiStore((s) => s.detailTab);
  // Typing stays responsive while a long list re-filters in the background.
  const deferredSearch = useDeferredValue(search);

  const imageFilter = useUiStore((s) => s.imageFilter);
  const setImageFilter = useUiStore((s) => s.setImageFilter);
  const allRows = useMemo(() => toRows(list.data ?? []), [list.data]);
  const rows = useMemo(() => {
    const named = imageFilter ? rowsNamed(allRows, imageFilter.names) : allRows;
    return filterRows(named, deferredSearch);
  }, [allRows, imageFilter, deferredSearch]);
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
        {imageFilter && (
          <span className="filter-chip" data-testid="images-filter">
            <span className="filter-chip__label">{imageFilter.label}</span>
            <button
              type="button"
              className="icon-button filter-chip__clear"
              aria-label="Show all images"
              title="Show all images"
              onClick={() => setImageFilter(null)}
            >
              <CloseIcon />
            </button>
          </span>
        )}
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
