import { spawn } from 'node:child_process';
import type { WebSocket } from 'ws';
import { type AgentShellStart, agentShellControl, agentShellStart } from '../client/agentProtocol.js';
import { describeError } from '../errors.js';

/** What a session's process takes: input, end of input, a new terminal size, and a kill. */
interface ShellProcess {
  write(data: Buffer): void;
  endInput(): void;
  resize(cols: number, rows: number): void;
  kill(): void;
}

/** The guest's login shell: busybox's, as root, in the guest's own namespaces. */
const LOGIN_SHELL = ['/bin/sh', '-l'];

/**
 * The agent's side of `stevedore machine shell` (core/client/agentProtocol.ts AGENT_SHELL_PATH):
 * the command, or a login shell, run in the guest on a pseudo-terminal (node-pty, as the
 * container terminals are) or with pipes, until it ends or the host hangs up.
 */
export function serveGuestShell(ws: WebSocket): void {
  let proc: ShellProcess | undefined;
  const send = (stream: 1 | 2, data: Buffer | string) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(Buffer.concat([Buffer.of(stream), typeof data === 'string' ? Buffer.from(data) : data]));
  };
  const ended = (exitCode: number) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ exitCode }), () => ws.close());
  };
  const fail = (err: unknown) => {
    send(2, `stevedore: ${describeError(err).message}\n`);
    ended(126);
  };
  let closed = false;
  ws.on('close', () => {
    closed = true;
    proc?.kill();
  });
  // What comes while the process is starting (input, its end) waits for it, in order.
  let waiting: { data: Buffer; isBinary: boolean }[] | undefined;
  const handle = (p: ShellProcess, data: Buffer, isBinary: boolean) => {
    if (isBinary) return p.write(data);
    const control = agentShellControl.parse(JSON.parse(data.toString('utf8')));
    if ('eof' in control) p.endInput();
    else p.resize(control.resize.cols, control.resize.rows);
  };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    try {
      if (proc) return handle(proc, data, isBinary);
      if (waiting) return void waiting.push({ data, isBinary });
      waiting = [];
      const start = agentShellStart.parse(JSON.parse(data.toString('utf8')));
      void begin(start).then((p) => {
        proc = p;
        if (closed) return p.kill();
        try {
          for (const m of waiting ?? []) handle(p, m.data, m.isBinary);
        } catch (err) {
          fail(err);
        }
      }, fail);
    } catch (err) {
      fail(err);
    }
  });

  const begin = async (start: AgentShellStart): Promise<ShellProcess> => {
    const [file, ...args] = start.command.length > 0 ? start.command : LOGIN_SHELL;
    const env = { ...process.env, TERM: 'xterm-256color', HOME: '/root' } as Record<string, string>;
    if (!start.tty) {
      const child = spawn(file!, args, { cwd: '/', env, stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => send(1, d));
      child.stderr.on('data', (d: Buffer) => send(2, d));
      child.stdin.on('error', () => undefined);
      child.on('error', (err) => {
        send(2, `stevedore: ${file}: ${err.message}\n`);
        ended(127);
      });
      child.on('close', (code, signal) => ended(code ?? (signal ? 128 + 9 : 126)));
      return {
        write: (d) => child.stdin.write(d),
        endInput: () => child.stdin.end(),
        resize: () => undefined,
        kill: () => child.kill('SIGKILL'),
      };
    }
    const pty = await import('node-pty');
    const term = pty.spawn(file!, args, { name: 'xterm-256color', cols: start.cols, rows: start.rows, cwd: '/', env });
    term.onData((d) => send(1, d));
    term.onExit(({ exitCode }) => ended(exitCode));
    return {
      write: (d) => term.write(d.toString('utf8')),
      // A terminal's end of input is its EOF character, as a person would type it.
      endInput: () => term.write('\x04'),
      resize: (cols, rows) => term.resize(cols, rows),
      kill: () => term.kill(),
    };
  };
}
