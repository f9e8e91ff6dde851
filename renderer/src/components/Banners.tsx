import { useConnectionStatus } from '../queries/connectionStatus';
import { useErrorStore } from '../state/errorStore';
import { Banner } from './Banner';
import { PlugIcon } from './icons';

/** The connection notice first (it explains any other failure), then each distinct engine error. */
export function Banners() {
  const status = useConnectionStatus();
  const notices = useErrorStore((s) => s.notices);
  const dismiss = useErrorStore((s) => s.dismiss);
  if (status !== 'reconnecting' && notices.length === 0) return null;
  return (
    <div className="banners">
      {status === 'reconnecting' && (
        <Banner tone="warning" icon={<PlugIcon />} testId="connection-banner">
          Lost connection to the engine; reconnecting…
        </Banner>
      )}
      {notices.map((n) => (
        <Banner key={n.id} tone="error" testId="error-banner" onDismiss={() => dismiss(n.id)}>
          <span data-testid="error-message">{capitalize(n.message)}</span>
        </Banner>
      ))}
    </div>
  );
}

/** Engine sentences start lower-case so the CLI can prefix "error: "; a banner starts a sentence. */
function capitalize(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
