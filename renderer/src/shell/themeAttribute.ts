import { useEffect } from 'react';
import { useDrawnAhead } from '../components/drawnAhead';
import { type ThemeChoice, useUiStore } from '../state/uiStore';

/**
 * The stylesheet follows prefers-color-scheme through `color-scheme: light dark`; an override
 * pins it with data-theme on <html>, which sets color-scheme to one value.
 */
function applyTheme(theme: ThemeChoice): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

/**
 * Keeps <html>'s theme attribute on the theme chosen; index.html's theme.js set it before the
 * first frame. Not while the page takes the server's drawing over: the store reads as it started
 * then (the system's theme), and a saved override would go for a frame.
 */
export function useThemeAttribute(): void {
  const theme = useUiStore((s) => s.theme);
  const drawnAhead = useDrawnAhead();
  useEffect(() => {
    if (!drawnAhead) applyTheme(theme);
  }, [theme, drawnAhead]);
}
