import { invoke, subscribe } from '../../../../api/client';

export interface SessionCallbacks {
  /** Output for the terminal, in the order the engine sent it. */
  output(data: string): void;
  opened(): void;
  exited(exitCode: number): void;
  failed(message: string): void;
}

export interface TerminalSession {
  /** Keystrokes (and pastes) for the session; sent in order, batched while a send is on the wire. */
  input(data: string): void;
  resize(cols: number, rows: number): void;
  /** Ends the session (terminal.close) unless it already ended; safe to call twice. */
  close(): void;
}

/**
 * A shell in a running container over the engine (containers.terminal): output arrives as
 * `terminal.output` events for this session, keystrokes go as `terminal.input` calls. The events
 * are listened to before the session is asked for, and kept until its ID is known, so that the
 * shell's first prompt (which may come before the answer) is not lost.
 */
export function openTerminalSession(
  containerId: string,
  size: { cols: number; rows: number },
  cb: SessionCallbacks,
): TerminalSession {
  let sessionId: string | null = null;
  let closed = false;
  let ended = false;
  const early: { sessionId: string; data: string }[] = [];
  const earlyExits = new Map<string, number>();
  let pendingInput = '';
  let sending = false;
  let pendingSize: { cols: number; rows: number } | null = null;

  const finish = (exitCode: number) => {
    if (ended) return;
    ended = true;
    cb.exited(exitCode);
  };

  const offOutput = subscribe('terminal.output', (e) => {
    if (sessionId === null) early.push(e);
    else if (e.sessionId === sessionId) cb.output(e.data);
  });
  const offExit = subscribe('terminal.exited', (e) => {
    if (sessionId === null) earlyExits.set(e.sessionId, e.exitCode);
    else if (e.sessionId === sessionId) finish(e.exitCode);
  });

  const sendInput = () => {
    if (sending || sessionId === null || ended || pendingInput === '') return;
    const data = pendingInput;
    pendingInput = '';
    sending = true;
    invoke('terminal.input', { sessionId, data })
      .catch(() => {
        // A session that ended meanwhile refuses input; its exit event says so.
      })
      .finally(() => {
        sending = false;
        sendInput();
      });
  };

  const sendSize = () => {
    if (sessionId === null || ended || !pendingSize) return;
    const { cols, rows } = pendingSize;
    pendingSize = null;
    invoke('terminal.resize', { sessionId, cols, rows }).catch(() => {});
  };

  invoke('containers.terminal', { id: containerId, cols: size.cols, rows: size.rows }).then(
    (answer) => {
      if (closed) {
        invoke('terminal.close', { sessionId: answer.sessionId }).catch(() => {});
        return;
      }
      sessionId = answer.sessionId;
      cb.opened();
      for (const e of early.splice(0)) if (e.sessionId === sessionId) cb.output(e.data);
      const exitCode = earlyExits.get(sessionId);
      earlyExits.clear();
      if (exitCode !== undefined) finish(exitCode);
      sendSize();
      sendInput();
    },
    (err: unknown) => {
      if (!closed) cb.failed(err instanceof Error ? err.message : String(err));
    },
  );

  return {
    input(data) {
      pendingInput += data;
      sendInput();
    },
    resize(cols, rows) {
      pendingSize = { cols, rows };
      sendSize();
    },
    close() {
      if (closed) return;
      closed = true;
      offOutput();
      offExit();
      if (sessionId !== null && !ended) invoke('terminal.close', { sessionId }).catch(() => {});
    },
  };
}
