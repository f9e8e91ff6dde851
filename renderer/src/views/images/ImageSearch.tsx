import { SearchBox } from '../../components/SearchBox';
import { useUiStore } from '../../state/uiStore';

export function ImageSearch() {
  const search = useUiStore((s) => s.imageSearch);
  const setSearch = useUiStore((s) => s.setImageSearch);
  return (
    <SearchBox
      value={search}
      onChange={setSearch}
      label="Search images"
      placeholder="Search by repository, tag or ID"
      clearLabel="Clear search"
      testId="images-search"
    />
  );
}
