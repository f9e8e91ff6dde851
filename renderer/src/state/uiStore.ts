import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type ThemeChoice = 'system' | 'light' | 'dark';

/**
 * What the person is looking at. Engine data never lives here (react-query owns it): this is
 * the selection, the search text and the theme override.
 */
interface UiState {
  /** The selected image's row key (its reference, or its manifest digest when untagged). */
  selectedImage: string | null;
  imageSearch: string;
  theme: ThemeChoice;
  selectImage(key: string | null): void;
  setImageSearch(text: string): void;
  setTheme(theme: ThemeChoice): void;
}

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      selectedImage: null,
      imageSearch: '',
      theme: 'system',
      selectImage: (key) => set({ selectedImage: key }),
      setImageSearch: (text) => set({ imageSearch: text }),
      setTheme: (theme) => set({ theme }),
    }),
    // Only the theme outlives the window; a selection from last week would point at nothing.
    { name: 'stevedore-ui', partialize: (state) => ({ theme: state.theme }) },
  ),
);
