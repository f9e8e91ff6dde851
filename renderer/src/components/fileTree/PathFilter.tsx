import { SearchBox } from '../SearchBox';

/** The text box that filters a file tree by path. */
export function PathFilter({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  return (
    <SearchBox
      compact
      value={value}
      onChange={onChange}
      label="Filter paths"
      placeholder="Filter paths"
      clearLabel="Clear the path filter"
      testId="path-filter"
    />
  );
}
