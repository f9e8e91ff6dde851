import { useEffect } from 'react';
import { type ThemeChoice, useUiStore } from '../state/uiStore';

/**
 * The stylesheet follows prefers-color-scheme through `color-scheme: light dark`; an override
 * pins it with data-theme on <html>, which sets color-scheme to one value.
 */
export function applyTheme(theme: ThemeChoice): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

export function useThemeAttribute(): void {
  const theme = useUiStore((s) => s.theme);
  useEffect(() => applyTheme(theme), [theme]);
}
