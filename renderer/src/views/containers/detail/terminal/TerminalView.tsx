import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { attach, forgetTerminal, type KeptTerminal, keptTerminal } from './keptTerminals';

const connecting = { kind: 'connecting' } as const;

/**
 * xterm.js on a shell in the container. The terminal fits its box (and tells the engine its new
 * size); keystrokes go to the session. The shell is kept while the container runs (keptTerminals):
 * another tab or view and back shows the same one; it ends when its shell exits, and a new one
 * can be started.
 */
export default function TerminalView({
  containerId,
  sessionKey,
  name,
}: {
  containerId: string;
  sessionKey: string;
  name: string;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [terminal, setTerminal] = useState<KeptTerminal | null>(null);
  const [attempt, setAttempt] = useState(0);
  const status = useSyncExternalStore(
    (listener) => terminal?.subscribe(listener) ?? (() => undefined),
    () => terminal?.status ?? connecting,
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the New session button: a new terminal, on purpose
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const kept = keptTerminal(sessionKey, containerId, getComputedStyle(host).fontFamily);
    setTerminal(kept);
    const detach = attach(kept, host);
    // Refit when the box changes size (the window, the sidebar), once per frame at most.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => kept.fit.fit());
    });
    observer.observe(host);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      detach();
    };
  }, [containerId, sessionKey, attempt]);

  return (
    <div className="terminal-tab">
      <div className="terminal-tab__bar">
        <span className={`terminal-tab__status is-${status.kind}`} role="status" data-testid="terminal-status">
          {status.kind === 'connecting'
            ? 'Connecting…'
            : status.kind === 'open'
              ? `Shell in ${name}`
              : status.kind === 'ended'
                ? `Session ended (exit ${status.exitCode})`
                : status.message}
        </span>
        {(status.kind === 'ended' || status.kind === 'failed') && (
          <button
            type="button"
            className="button button--small"
            data-testid="terminal-restart"
            onClick={() => {
              forgetTerminal(sessionKey);
              setAttempt((n) => n + 1);
            }}
          >
            New session
          </button>
        )}
      </div>
      <div ref={hostRef} className="terminal-tab__screen" data-testid="terminal" />
    </div>
  );
}
