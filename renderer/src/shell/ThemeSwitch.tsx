import type { ReactNode } from 'react';
import { MonitorIcon, MoonIcon, SunIcon } from '../components/icons';
import { type ThemeChoice, useUiStore } from '../state/uiStore';

const choices: { value: ThemeChoice; label: string; icon: ReactNode }[] = [
  { value: 'system', label: 'Follow the system theme', icon: <MonitorIcon /> },
  { value: 'light', label: 'Light theme', icon: <SunIcon /> },
  { value: 'dark', label: 'Dark theme', icon: <MoonIcon /> },
];

export function ThemeSwitch() {
  const theme = useUiStore((s) => s.theme);
  const setTheme = useUiStore((s) => s.setTheme);
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Theme</legend>
      {choices.map((c) => (
        <button
          key={c.value}
          type="button"
          className="segmented__item"
          aria-pressed={theme === c.value}
          aria-label={c.label}
          title={c.label}
          onClick={() => setTheme(c.value)}
        >
          {c.icon}
        </button>
      ))}
    </fieldset>
  );
}
