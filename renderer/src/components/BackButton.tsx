import { BackIcon } from './containerIcons';

/** Back from a detail that fills its view to the view's list; `to` names the list. */
export function BackButton({ to, testId, onBack }: { to: string; testId: string; onBack: () => void }) {
  return (
    <button type="button" className="button button--small button--with-icon" data-testid={testId} onClick={onBack}>
      <BackIcon />
      {to}
    </button>
  );
}
