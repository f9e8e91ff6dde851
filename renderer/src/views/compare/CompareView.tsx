import { useMemo, useState } from 'react';
import { ChangeCounts, ChangeLegend } from '../../components/fileTree/ChangeMark';
import { FileTree } from '../../components/fileTree/FileTree';
import { buildFileTree } from '../../components/fileTree/fileTreeModel';
import { PathFilter } from '../../components/fileTree/PathFilter';
import { SwapIcon } from '../../components/icons';
import { useImageList } from '../../queries/imageQueries';
import { useImageComparison } from '../../queries/layerQueries';
import { useUiStore } from '../../state/uiStore';
import { toRows } from '../images/imageRows';
import { ImagePicker } from './ImagePicker';
import { LayerComparison } from './LayerComparison';

/**
 * Two images side by side: the layers they share and the ones only one has, then every file
 * that differs between their root filesystems, from the first image to the second.
 */
export function CompareView() {
  const list = useImageList();
  const rows = useMemo(() => toRows(list.data ?? []), [list.data]);
  const left = useUiStore((s) => s.compareLeft);
  const right = useUiStore((s) => s.compareRight);
  const setCompare = useUiStore((s) => s.setCompare);
  // A side whose image is gone (removed, retagged) is empty again.
  const leftKey = rows.some((r) => r.key === left) ? left : null;
  const rightKey = rows.some((r) => r.key === right) ? right : null;
  const comparison = useImageComparison(leftKey, rightKey);
  const [filter, setFilter] = useState('');

  const counts = useMemo(() => {
    const c = { added: 0, modified: 0, removed: 0 };
    for (const change of comparison.data?.changes ?? []) if (change.change !== 'unmodified') c[change.change]++;
    return c;
  }, [comparison.data]);
  const changedTree = useMemo(() => buildFileTree(comparison.data?.changes ?? []), [comparison.data]);

  return (
    <div className="view compare-view">
      <div className="view-header">
        <div className="view-header__title">
          <h1>Compare</h1>
        </div>
      </div>
      <div className="compare-view__pickers">
        <ImagePicker label="From" rows={rows} value={leftKey} onChange={(k) => setCompare('left', k)} testId="compare-left" />
        <button
          type="button"
          className="icon-button compare-view__swap"
          aria-label="Swap the two images"
          title="Swap the two images"
          onClick={() => {
            setCompare('left', rightKey);
            setCompare('right', leftKey);
          }}
        >
          <SwapIcon />
        </button>
        <ImagePicker label="To" rows={rows} value={rightKey} onChange={(k) => setCompare('right', k)} testId="compare-right" />
      </div>
      {!leftKey || !rightKey ? (
        <p className="placeholder" data-testid="compare-hint">
          Choose two images to see the layers they share and the files that differ.
        </p>
      ) : !comparison.data ? (
        <p className="placeholder">{comparison.isError ? 'These images could not be compared.' : 'Comparing…'}</p>
      ) : (
        <div className="compare-view__body" data-testid="compare-result">
          <LayerComparison comparison={comparison.data} left={leftKey} right={rightKey} />
          <section className="compare-files" aria-label="Files">
            <div className="layer-files__toolbar">
              <h3 className="layer-files__title">Files</h3>
              <span data-testid="compare-counts">
                <ChangeCounts {...counts} />
              </span>
              <PathFilter value={filter} onChange={setFilter} />
              <ChangeLegend />
            </div>
            <FileTree
              nodes={changedTree}
              filter={filter}
              label={`Files that differ from ${comparison.data.left} to ${comparison.data.right}`}
              emptyText="The two root filesystems hold the same files."
              testId="compare-tree"
            />
          </section>
        </div>
      )}
    </div>
  );
}
