import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { formatCount } from '../../../../core/text/humanize';
import { CloseIcon } from '../../components/icons';
import { LoadedList } from '../../components/LoadedList';
import { ViewHeader } from '../../components/ViewHeader';
import { useImageList, useImagesInUse } from '../../queries/imageQueries';
import { useUiStore } from '../../state/uiStore';
import { PullButton } from '../pull/PullButton';
import { LoadImagesDialog } from './archive/LoadImagesDialog';
import { SaveImagesDialog } from './archive/SaveImagesDialog';
import { CleanUpDialog } from './CleanUpDialog';
import { DiskUsageBar } from './DiskUsageBar';
import { ImageDetailPanel } from './detail/ImageDetailPanel';
import { ImageList } from './ImageList';
import { ImageSearch } from './ImageSearch';
import { ImagesEmptyState } from './ImagesEmptyState';
import { filterRows, type ImageRow, rowsNamed, sortRows, toRows } from './imageRows';
import { RemoveImagesDialog } from './RemoveImagesDialog';
import { planRemoval } from './removalPlan';
import { TagImageDialog } from './TagImageDialog';

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
  const imageSort = useUiStore((s) => s.imageSort);
  const rows = useMemo(() => {
    const named = imageFilter ? rowsNamed(allRows, imageFilter.names) : allRows;
    return sortRows(filterRows(named, deferredSearch), imageSort);
  }, [allRows, imageFilter, deferredSearch, imageSort]);
  const inUse = useImagesInUse();

  // Rows picked with their boxes, by key; a key whose image went is simply not there any more.
  const [checkedKeys, setCheckedKeys] = useState<ReadonlySet<string>>(new Set());
  const onCheck = useCallback((key: string, checked: boolean) => {
    setCheckedKeys((keys) => {
      const next = new Set(keys);
      if (checked) next.add(key);
      else next.delete(key);
      return next;
    });
  }, []);
  const checkedRows = allRows.filter((r) => checkedKeys.has(r.key));
  // What the Delete dialog is for: the picked rows, or one row's own Delete.
  const [removing, setRemoving] = useState<readonly string[] | null>(null);
  const onDelete = useCallback((key: string) => setRemoving([key]), []);
  const removals = useMemo(
    () =>
      removing
        ? planRemoval(
            allRows.filter((r) => removing.includes(r.key)),
            allRows,
            inUse.data ?? new Map(),
          )
        : [],
    [removing, allRows, inUse.data],
  );
  const [cleaningUp, setCleaningUp] = useState(false);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState<readonly ImageRow[] | null>(null);
  const [tagging, setTagging] = useState<string | null>(null);
  const onTag = useCallback((key: string) => setTagging(key), []);
  const taggingRow = allRows.find((r) => r.key === tagging) ?? null;
  // A selection whose image is gone (removed, or the store changed under us) shows nothing.
  const selected = allRows.find((r) => r.key === selectedKey) ?? null;

  const total = allRows.length;
  const summary = !list.data
    ? ''
    : rows.length === total
      ? `${formatCount(total)} ${total === 1 ? 'image' : 'images'}`
      : `${formatCount(rows.length)} of ${formatCount(total)} images`;

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
        {checkedRows.length > 0 && (
          <button
            type="button"
            className="button button--danger"
            data-testid="images-delete-checked"
            onClick={() => setRemoving(checkedRows.map((r) => r.key))}
          >
            Delete {checkedRows.length} {checkedRows.length === 1 ? 'image' : 'images'}
          </button>
        )}
        {checkedRows.length > 0 && (
          <button type="button" className="button" data-testid="images-save-checked" onClick={() => setSaving(checkedRows)}>
            Save {checkedRows.length} {checkedRows.length === 1 ? 'image' : 'images'}…
          </button>
        )}
        {total > 0 && <ImageSearch />}
        {total > 0 && (
          <button type="button" className="button" data-testid="images-clean-up" onClick={() => setCleaningUp(true)}>
            Clean up
          </button>
        )}
        <button type="button" className="button" data-testid="images-load" onClick={() => setLoading(true)}>
          Load…
        </button>
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
                  <ImageList
                    rows={rows}
                    selectedKey={selected?.key ?? null}
                    onSelect={selectImage}
                    checked={checkedKeys}
                    onCheck={onCheck}
                    inUse={inUse.data}
                    onDelete={onDelete}
                    onTag={onTag}
                  />
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
      <DiskUsageBar />
      {removing && removals.length > 0 && (
        <RemoveImagesDialog
          removals={removals}
          onDone={() => {
            const gone = new Set(removing);
            setCheckedKeys((keys) => new Set([...keys].filter((k) => !gone.has(k))));
          }}
          onClose={() => setRemoving(null)}
        />
      )}
      {cleaningUp && <CleanUpDialog onClose={() => setCleaningUp(false)} />}
      {loading && <LoadImagesDialog onClose={() => setLoading(false)} />}
      {saving && <SaveImagesDialog rows={saving} onClose={() => setSaving(null)} />}
      {taggingRow && <TagImageDialog row={taggingRow} onClose={() => setTagging(null)} />}
    </div>
  );
}
