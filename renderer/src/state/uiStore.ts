import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type ThemeChoice = 'system' | 'light' | 'dark';

/** The views the sidebar offers. */
export type ViewId = 'images' | 'store-graph' | 'compare' | 'registries' | 'transfers';

/** The tabs of the image detail panel. */
export type DetailTab = 'overview' | 'layers' | 'dag';

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
  setView(view: ViewId): void;
  selectImage(key: string | null): void;
  setImageSearch(text: string): void;
  setDetailTab(tab: DetailTab): void;
  setCompare(side: 'left' | 'right', key: string | null): void;
  /** Opens an image's detail on a tab, from another view. */
  openImage(key: string, tab: DetailTab): void;
  setTheme(theme: ThemeChoice): void;
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
      setView: (view) => set({ view }),
      selectImage: (key) => set({ selectedImage: key }),
      setImageSearch: (text) => set({ imageSearch: text }),
      setDetailTab: (tab) => set({ detailTab: tab }),
      setCompare: (side, key) => set(side === 'left' ? { compareLeft: key } : { compareRight: key }),
      openImage: (key, tab) => set({ view: 'images', selectedImage: key, detailTab: tab, imageSearch: '' }),
      setTheme: (theme) => set({ theme }),
    }),
    // Only the theme outlives the window; a selection from last week would point at nothing.
    { name: 'stevedore-ui', partialize: (state) => ({ theme: state.theme }) },
  ),
);
