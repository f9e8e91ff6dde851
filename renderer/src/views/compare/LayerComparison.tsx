import type { ImageComparison } from '../../../../core/api/layers.schema';
import { formatBytes } from '../../../../core/text/humanize';
import { Digest } from '../../components/Digest';
import { useImageDetail } from '../../queries/imageQueries';

interface Column {
  title: string;
  digests: string[];
  testId: string;
  tone: 'shared' | 'removed' | 'added';
}

/** Which layers the two images share (stored once) and which only one of them has. */
export function LayerComparison({ comparison, left, right }: { comparison: ImageComparison; left: string; right: string }) {
  // Sizes come from inspect, which the Images view has usually fetched already.
  const leftDetail = useImageDetail(left);
  const rightDetail = useImageDetail(right);
  const sizes = new Map<string, number>();
  for (const l of [...(leftDetail.data?.layers ?? []), ...(rightDetail.data?.layers ?? [])]) sizes.set(l.digest, l.size);
  const sharedBytes = comparison.sharedLayers.reduce((sum, d) => sum + (sizes.get(d) ?? 0), 0);

  const columns: Column[] = [
    { title: 'Shared', digests: comparison.sharedLayers, testId: 'compare-shared', tone: 'shared' },
    { title: `Only in ${comparison.left}`, digests: comparison.leftOnlyLayers, testId: 'compare-left-only', tone: 'removed' },
    { title: `Only in ${comparison.right}`, digests: comparison.rightOnlyLayers, testId: 'compare-right-only', tone: 'added' },
  ];
  return (
    <section className="layer-compare" aria-label="Layers">
      {columns.map((c) => (
        <div key={c.testId} className={`layer-compare__column is-${c.tone}`} data-testid={c.testId}>
          <h3 className="layer-compare__title">
            <span title={c.title}>{c.title}</span>
            <span className="count">{c.digests.length}</span>
          </h3>
          {c.tone === 'shared' && c.digests.length > 0 && (
            <p className="layer-compare__note">{formatBytes(sharedBytes)} stored once for both</p>
          )}
          {c.digests.length === 0 ? (
            <p className="none">None</p>
          ) : (
            <ul className="plain-list layer-compare__list">
              {c.digests.map((digest) => (
                <li key={digest} data-testid="compare-layer" data-digest={digest}>
                  <Digest value={digest} label="layer digest" />
                  <span className="muted">{sizes.has(digest) ? formatBytes(sizes.get(digest) ?? 0) : ''}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}
