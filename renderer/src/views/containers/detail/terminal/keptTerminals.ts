import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { sentence } from '../../../../components/useSubmit';
import { openTerminalSession, type TerminalSession } from './terminalSession';

export type TerminalStatus =
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
 * One container's terminal, kept while the container runs: xterm, its element and the shell's
 * session outlive the tab that shows them, so switching to Logs (or to another view) and back
 * finds the same shell with its screen (issue 18, bug 7).
 */
export interface KeptTerminal {
  /** Moved into the tab's box when shown, out of it when the tab goes. */
  readonly element: HTMLDivElement;
  readonly term: Terminal;
  readonly fit: FitAddon;
  status: TerminalStatus;
  subscribe(listener: () => void): () => void;
}

interface Entry extends KeptTerminal {
  containerId: string;
  session: TerminalSession | null;
  /** Connects the shell; once xterm is open in the page and knows its size. */
  start(): void;
  dispose(): void;
}

const kept = new Map<string, Entry>();

/**
 * The terminal kept under `key` (a container's ID and start time: a restarted container gets a
 * new shell), made the first time; `attach` shows it, and connects its shell the first time.
 */
export function keptTerminal(key: string, containerId: string, fontFamily: string): KeptTerminal {
  const found = kept.get(key);
  if (found) return found;
  // A container keeps one: an older start's goes.
  for (const [k, e] of kept) if (e.containerId === containerId) disposeKept(k, e);

  const element = document.createElement('div');
  element.className = 'terminal-tab__xterm';
  const term = new Terminal({ fontFamily, fontSize: 13, cursorBlink: true, scrollback: 5000, theme });
  const fit = new FitAddon();
  term.loadAddon(fit);
  const listeners = new Set<() => void>();
  const entry: Entry = {
    element,
    term,
    fit,
    containerId,
    status: { kind: 'connecting' },
    session: null,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      entry.session = openTerminalSession(
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
    },
    dispose() {
      onData.dispose();
      onResize.dispose();
      entry.session?.close();
      term.dispose();
      listeners.clear();
    },
  };
  const setStatus = (status: TerminalStatus) => {
    entry.status = status;
    for (const l of listeners) l();
  };
  const onData = term.onData((data) => entry.session?.input(data));
  const onResize = term.onResize(({ cols, rows }) => entry.session?.resize(cols, rows));
  kept.set(key, entry);
  return entry;
}

/** Shows the kept terminal in `host`: opened (and its shell started) the first time, refitted after. */
export function attach(terminal: KeptTerminal, host: HTMLElement): () => void {
  host.appendChild(terminal.element);
  if (!terminal.term.element) {
    terminal.term.open(terminal.element);
    terminal.fit.fit();
    (terminal as Entry).start();
  } else {
    terminal.fit.fit();
    if (terminal.status.kind === 'open') terminal.term.focus();
  }
  return () => {
    if (terminal.element.parentElement === host) host.removeChild(terminal.element);
  };
}

function disposeKept(key: string, entry: Entry): void {
  kept.delete(key);
  entry.dispose();
}

/** Ends the kept terminal under `key` (New session), or every one of a container that no longer runs. */
export function forgetTerminal(key: string): void {
  const entry = kept.get(key);
  if (entry) disposeKept(key, entry);
}

export function forgetTerminalsOf(containerId: string): void {
  for (const [k, e] of kept) if (e.containerId === containerId) disposeKept(k, e);
}
