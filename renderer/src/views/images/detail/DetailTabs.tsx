import type { KeyboardEvent } from 'react';
import type { DetailTab } from '../../../state/uiStore';

const tabs: { id: DetailTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'layers', label: 'Layers' },
  { id: 'dag', label: 'DAG' },
];

export const tabPanelId = (prefix: string) => `${prefix}-panel`;
export const tabId = (prefix: string, tab: DetailTab) => `${prefix}-tab-${tab}`;

/** The detail's tabs, with the arrow keys moving between them (WAI-ARIA tabs pattern, automatic activation). */
export function DetailTabs({
  current,
  onChange,
  idPrefix,
}: {
  current: DetailTab;
  onChange: (tab: DetailTab) => void;
  idPrefix: string;
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
    <div className="tabs" role="tablist" aria-label="Image details" onKeyDown={onKeyDown}>
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
