import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { sentence } from '../../../../components/useSubmit';
import { openTerminalSession } from './terminalSession';

type Status =
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'ended'; exitCode: number }
  | { kind: 'failed'; message: string };

/** A terminal's colours: dark in both themes, as terminals usually are, with the app's own accent for the cursor. */
const theme = {
  background: '#15171a',
  foreground: '#e6e8eb',
  cursor: '#7aa7ff',
  selectionBackground: 'rgba(79, 140, 247, 0.35)',
};

/**
 * xterm.js on a shell in the container. The terminal fits its box (and tells the engine its new
 * size); keystrokes go to the session; the session ends when this unmounts (another tab, another
 * view) or when its shell exits, and a new one can be started.
 */
export default function TerminalView({ containerId, name }: { containerId: string; name: string }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<Status>({ kind: 'connecting' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the New session button: a new terminal, on purpose
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    setStatus({ kind: 'connecting' });
    const term = new Terminal({
      fontFamily: getComputedStyle(host).fontFamily,
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      theme,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    fit.fit();
    const session = openTerminalSession(
      containerId,
      { cols: term.cols, rows: term.rows },
      {
        output: (data) => term.write(data),
        opened: () => {
          setStatus({ kind: 'open' });
          term.focus();
        },
        exited: (exitCode) => {
          setStatus({ kind: 'ended', exitCode });
          term.write(`\r\n\x1b[2m[session ended (exit ${exitCode})]\x1b[0m\r\n`);
        },
        failed: (message) => setStatus({ kind: 'failed', message: sentence(message) }),
      },
    );
    const onData = term.onData((data) => session.input(data));
    const onResize = term.onResize(({ cols, rows }) => session.resize(cols, rows));
    // Refit when the box changes size (the window, the sidebar), once per frame at most.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fit.fit());
    });
    observer.observe(host);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      onData.dispose();
      onResize.dispose();
      session.close();
      term.dispose();
    };
  }, [containerId, attempt]);

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
            onClick={() => setAttempt((n) => n + 1)}
          >
            New session
          </button>
        )}
      </div>
      <div ref={hostRef} className="terminal-tab__screen" data-testid="terminal" />
    </div>
  );
}
