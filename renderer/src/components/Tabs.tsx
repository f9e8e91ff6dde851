import type { KeyboardEvent } from 'react';

export const tabPanelId = (prefix: string) => `${prefix}-panel`;
export const tabId = (prefix: string, tab: string) => `${prefix}-tab-${tab}`;

/**
 * A row of tabs with the arrow keys moving between them (WAI-ARIA tabs pattern, automatic
 * activation). The panel is the caller's: give it `id={tabPanelId(idPrefix)}` and
 * `aria-labelledby={tabId(idPrefix, current)}`.
 */
export function Tabs<T extends string>({
  tabs,
  current,
  onChange,
  idPrefix,
  label,
}: {
  tabs: readonly { id: T; label: string }[];
  current: T;
  onChange: (tab: T) => void;
  idPrefix: string;
  label: string;
}) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.findIndex((t) => t.id === current);
    const next =
      e.key === 'ArrowRight' ? (at + 1) % tabs.length : e.key === 'ArrowLeft' ? (at + tabs.length - 1) % tabs.length : -1;
    const tab = tabs[next];
    if (!tab) return;
    e.preventDefault();
    onChange(tab.id);
    document.getElementById(tabId(idPrefix, tab.id))?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          id={tabId(idPrefix, t.id)}
          type="button"
          role="tab"
          className="tabs__tab"
          aria-selected={t.id === current}
          aria-controls={tabPanelId(idPrefix)}
          tabIndex={t.id === current ? 0 : -1}
          data-testid={`tab-${t.id}`}
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
