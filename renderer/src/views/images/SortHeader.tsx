import { type ImageSort, useUiStore } from '../../state/uiStore';

/** A column header that sorts: a click sorts by it, a second click the other way. */
export function SortHeader({
  column,
  label,
  numeric = false,
  className,
}: {
  column: ImageSort['column'];
  label: string;
  numeric?: boolean;
  className?: string;
}) {
  const sort = useUiStore((s) => s.imageSort);
  const setSort = useUiStore((s) => s.setImageSort);
  const active = sort?.column === column ? sort.direction : null;
  // Names read A to Z first; sizes and dates biggest and newest first, as people look for them.
  const first: ImageSort['direction'] = column === 'name' ? 'ascending' : 'descending';
  const next: ImageSort['direction'] = active === null ? first : active === 'ascending' ? 'descending' : 'ascending';
  return (
    <span className={`${className ?? ''}${numeric ? ' is-numeric' : ''}`}>
      <button
        type="button"
        className={`sort-header${active ? ' is-active' : ''}`}
        data-testid={`sort-${column}`}
        data-sort={active ?? 'none'}
        title={`Sort by ${label.toLowerCase()}, ${next}`}
        onClick={() => setSort({ column, direction: next })}
      >
        {label}
        <span className="sort-header__arrow" aria-hidden="true">
          {active === 'ascending' ? '▲' : active === 'descending' ? '▼' : ''}
        </span>
      </button>
    </span>
  );
}
