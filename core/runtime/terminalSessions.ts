import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { IPty } from 'node-pty';
import { StevedoreError } from '../errors.js';
import type { ContainerRecord } from './containerRecord.js';
import { execInvocation } from './execProcess.js';
import { ociRuntime } from './runc.js';
import type { SessionEvents, SessionRequest } from './runtimeBackend.js';

/** A session's process: on a pseudo-terminal, or with pipes. */
interface Session {
  write(data: string): void;
  endInput(): void;
  resize(cols: number, rows: number): void;
  kill(): void;
}

/**
 * The app's terminals, and `exec` sessions driven from another process (the host's engine, when
 * this one is a machine's agent): `runc exec -t` on a pseudo-terminal that node-pty opens in this
 * process (runc needs a terminal on its side to give the container one), or `runc exec` with
 * pipes, stdout and stderr apart. Output and exit arrive as events.
 */
export class TerminalSessions {
  private readonly sessions = new Map<string, Session>();

  async open(root: string, record: ContainerRecord, request: SessionRequest, events: SessionEvents): Promise<string> {
    const tty = request.tty ?? true;
    const { args, processFile } = execInvocation(root, record, {
      command: request.command,
      tty,
      env: request.env ?? [],
      ...(request.user !== undefined ? { user: request.user } : {}),
      ...(request.workdir !== undefined ? { workdir: request.workdir } : {}),
    });
    const sessionId = randomBytes(12).toString('hex');
    const ended = (exitCode: number) => {
      this.sessions.delete(sessionId);
      rmSync(processFile, { force: true });
      events.exited(sessionId, exitCode);
    };
    if (!tty) {
      const child: ChildProcess = spawn(ociRuntime(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
      for (const stream of ['stdout', 'stderr'] as const) {
        child[stream]?.setEncoding('utf8').on('data', (data: string) => events.output(sessionId, data, stream));
      }
      child.stdin?.on('error', () => undefined);
      child.on('error', () => ended(126));
      child.on('close', (code, signal) => ended(code ?? (signal ? 137 : 126)));
      this.sessions.set(sessionId, {
        write: (data) => child.stdin?.write(data),
        endInput: () => child.stdin?.end(),
        resize: () => undefined,
        kill: () => child.kill('SIGKILL'),
      });
      return sessionId;
    }
    let pty: typeof import('node-pty');
    try {
      pty = await import('node-pty');
    } catch (err) {
      rmSync(processFile, { force: true });
      throw new StevedoreError('INTERNAL', `terminals need node-pty, which did not load: ${(err as Error).message}`);
    }
    const term: IPty = pty.spawn(ociRuntime(), args, {
      name: 'xterm-256color',
      cols: request.cols,
      rows: request.rows,
      env: process.env as Record<string, string>,
    });
    this.sessions.set(sessionId, {
      write: (data) => term.write(data),
      // A terminal's end of input is its EOF character (Ctrl-D), as a person would type it.
      endInput: () => term.write('\x04'),
      resize: (cols, rows) => term.resize(cols, rows),
      kill: () => term.kill(),
    });
    term.onData((data) => events.output(sessionId, data));
    term.onExit(({ exitCode }) => ended(exitCode));
    return sessionId;
  }

  private session(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new StevedoreError('NOT_FOUND', 'this terminal session has ended');
    return session;
  }

  input(sessionId: string, data: string, eof = false): void {
    const session = this.session(sessionId);
    if (data !== '') session.write(data);
    if (eof) session.endInput();
  }

  resize(sessionId: string, cols: number, rows: number): void {
    this.session(sessionId).resize(cols, rows);
  }

  close(sessionId: string): void {
    this.sessions.get(sessionId)?.kill();
  }

  closeAll(): void {
    for (const session of this.sessions.values()) session.kill();
  }
}
