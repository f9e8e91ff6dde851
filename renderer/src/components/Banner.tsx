import type { ReactNode } from 'react';
import { AlertIcon, CloseIcon } from './icons';

interface BannerProps {
  tone: 'error' | 'warning';
  icon?: ReactNode;
  children: ReactNode;
  onDismiss?: () => void;
  testId: string;
}

/** A full-width notice above the view; role="alert" so screen readers announce it when it appears. */
export function Banner({ tone, icon, children, onDismiss, testId }: BannerProps) {
  return (
    <div className={`banner banner--${tone}`} role="alert" data-testid={testId}>
      <span className="banner__icon">{icon ?? <AlertIcon />}</span>
      <div className="banner__message">{children}</div>
      {onDismiss && (
        <button type="button" className="icon-button banner__dismiss" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
          <CloseIcon />
        </button>
      )}
    </div>
  );
}
