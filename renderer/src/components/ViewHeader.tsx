import type { ReactNode } from 'react';

/** A view's header: its title with a summary beside it (read out as it changes), its actions at the end. */
export function ViewHeader({
  title,
  summary,
  summaryTestId,
  children,
}: {
  title: string;
  summary: string;
  summaryTestId: string;
  /** The actions: buttons, a search, a toggle. */
  children: ReactNode;
}) {
  return (
    <div className="view-header">
      <div className="view-header__title">
        <h1>{title}</h1>
        <span className="view-header__summary" data-testid={summaryTestId} aria-live="polite">
          {summary}
        </span>
      </div>
      <div className="view-header__actions">{children}</div>
    </div>
  );
}
