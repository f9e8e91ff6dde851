import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { BuildRequestArgs } from '../../../core/api/builds.schema';

export type ThemeChoice = 'system' | 'light' | 'dark';

/** The views the sidebar offers. */
export type ViewId =
  | 'images'
  | 'containers'
  | 'volumes'
  | 'networks'
  | 'builds'
  | 'store-graph'
  | 'compare'
  | 'registries'
  | 'transfers'
  | 'settings';

/** The tabs of the image detail panel. */
export type DetailTab = 'overview' | 'layers' | 'dag';

/** How Images is sorted: by a column, either way; null keeps the engine's order. */
export interface ImageSort {
  column: 'name' | 'created' | 'pulled' | 'size';
  direction: 'ascending' | 'descending';
}

/** The tabs of the container detail. */
export type ContainerTab = 'logs' | 'inspect' | 'terminal' | 'files';

/**
 * What the person is looking at. Engine data never lives here (react-query owns it): this is
 * the view, the selection, the search text and the theme override.
 */
interface UiState {
  view: ViewId;
  /** The selected image's row key (its reference, or its manifest digest when untagged). */
  selectedImage: string | null;
  imageSearch: string;
  /** Kept while the selection moves, so arrowing through the list stays on the Layers tab. */
  detailTab: DetailTab;
  /** The two images the Compare view shows, by row key. */
  compareLeft: string | null;
  compareRight: string | null;
  theme: ThemeChoice;
  /** The container whose detail fills the Containers view, by ID; null shows the list. */
  selectedContainer: string | null;
  containerTab: ContainerTab;
  /** containers.list's `all`: stopped containers too, as Docker Desktop shows them. */
  showStoppedContainers: boolean;
  /** The image the Run dialog is open for (its row key, or what the person typed); null when closed. */
  runImage: string | null;
  /** The build whose detail fills the Builds view, by ID; null shows the history. */
  selectedBuild: string | null;
  /** What the New build dialog opens with (empty, or a past build's request for Build again); null when closed. */
  buildRequest: Partial<BuildRequestArgs> | null;
  /** Images narrowed to these names (a layer's "Shared with N images"); null shows them all. */
  imageFilter: { label: string; names: readonly string[] } | null;
  imageSort: ImageSort | null;
  setImageSort(sort: ImageSort | null): void;
  setView(view: ViewId): void;
  /** The sidebar's way to a view: its list, not the item it last showed (a container's, a build's detail). */
  navigate(view: ViewId): void;
  setImageFilter(filter: { label: string; names: readonly string[] } | null): void;
  selectImage(key: string | null): void;
  setImageSearch(text: string): void;
  setDetailTab(tab: DetailTab): void;
  setCompare(side: 'left' | 'right', key: string | null): void;
  /** Opens an image's detail on a tab, from another view. */
  openImage(key: string, tab: DetailTab): void;
  setTheme(theme: ThemeChoice): void;
  /** Opens a container's detail on a tab, from any view; null goes back to the list. */
  openContainer(id: string | null, tab?: ContainerTab): void;
  setContainerTab(tab: ContainerTab): void;
  setShowStoppedContainers(show: boolean): void;
  /** Opens the Run dialog for an image (or empty, to type one); null closes it. */
  setRunImage(image: string | null): void;
  /** Opens a build's detail, from any view; null goes back to the history. */
  openBuild(id: string | null): void;
  /** Opens the New build dialog filled with `request`; null closes it. */
  setBuildRequest(request: Partial<BuildRequestArgs> | null): void;
}

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      view: 'images',
      selectedImage: null,
      imageSearch: '',
      detailTab: 'overview',
      compareLeft: null,
      compareRight: null,
      theme: 'system',
      selectedContainer: null,
      containerTab: 'logs',
      showStoppedContainers: true,
      runImage: null,
      selectedBuild: null,
      buildRequest: null,
      imageFilter: null,
      imageSort: null,
      setImageSort: (sort) => set({ imageSort: sort }),
      setView: (view) => set({ view }),
      navigate: (view) =>
        set(
          view === 'containers'
            ? { view, selectedContainer: null }
            : view === 'builds'
              ? { view, selectedBuild: null }
              : { view },
        ),
      setImageFilter: (filter) => set({ imageFilter: filter, view: 'images' }),
      selectImage: (key) => set({ selectedImage: key }),
      setImageSearch: (text) => set({ imageSearch: text }),
      setDetailTab: (tab) => set({ detailTab: tab }),
      setCompare: (side, key) => set(side === 'left' ? { compareLeft: key } : { compareRight: key }),
      openImage: (key, tab) => set({ view: 'images', selectedImage: key, detailTab: tab, imageSearch: '', imageFilter: null }),
      setTheme: (theme) => set({ theme }),
      openContainer: (id, tab) =>
        set((state) => ({ view: 'containers', selectedContainer: id, containerTab: tab ?? state.containerTab })),
      setContainerTab: (tab) => set({ containerTab: tab }),
      setShowStoppedContainers: (show) => set({ showStoppedContainers: show }),
      setRunImage: (image) => set({ runImage: image }),
      openBuild: (id) => set({ view: 'builds', selectedBuild: id }),
      setBuildRequest: (request) => set({ buildRequest: request }),
    }),
    // Only the theme outlives the window; a selection from last week would point at nothing.
    { name: 'stevedore-ui', partialize: (state) => ({ theme: state.theme }) },
  ),
);
