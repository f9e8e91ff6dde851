import type { ChangeKind } from '../../../../core/api/layers.schema';
import { formatCount } from '../../../../core/text/humanize';

/** Each change has a letter as well as a colour, so it reads without colour too (dive's A, M, D). */
export const changeLabels: Record<Exclude<ChangeKind, 'unmodified'>, { letter: string; label: string }> = {
  added: { letter: 'A', label: 'Added' },
  modified: { letter: 'M', label: 'Modified' },
  removed: { letter: 'D', label: 'Removed' },
};

/** The letter in its colour; an unchanged path (or an implied directory) keeps the column empty. */
export function ChangeMark({ change }: { change: ChangeKind | undefined }) {
  if (change === undefined || change === 'unmodified') {
    return <span className="change-mark" data-change="none" aria-hidden="true" />;
  }
  const { letter, label } = changeLabels[change];
  return (
    <abbr className={`change-mark is-${change}`} data-change={change} title={label}>
      {letter}
    </abbr>
  );
}

/** `+5 ~1 −2`: how many paths a layer (or a comparison) adds, modifies and removes. */
export function ChangeCounts({ added, modified, removed }: { added: number; modified: number; removed: number }) {
  return (
    <span className="change-counts">
      <span className="is-added" title={`${added} added`}>
        +{formatCount(added)}
      </span>
      <span className="is-modified" title={`${modified} modified`}>
        ~{formatCount(modified)}
      </span>
      <span className="is-removed" title={`${removed} removed`}>
        −{formatCount(removed)}
      </span>
    </span>
  );
}

/** Which colour is which, said once above a tree. */
export function ChangeLegend() {
  return (
    <span className="change-legend" aria-hidden="true">
      <span>
        <ChangeMark change="added" /> Added
      </span>
      <span>
        <ChangeMark change="modified" /> Modified
      </span>
      <span>
        <ChangeMark change="removed" /> Removed
      </span>
    </span>
  );
}
