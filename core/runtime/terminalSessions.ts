import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { IPty } from 'node-pty';
import { StevedoreError } from '../errors.js';
import type { ContainerRecord } from './containerRecord.js';
import { execInvocation } from './execProcess.js';

export interface TerminalEvents {
  output(sessionId: string, data: string): void;
  exited(sessionId: string, exitCode: number): void;
}

/**
 * The app's terminals: `runc exec -t` on a pseudo-terminal that node-pty opens in this process
 * (runc needs a terminal on its side to give the container one), output and exit as events.
 */
export class TerminalSessions {
  private readonly sessions = new Map<string, IPty>();

  constructor(private readonly events: TerminalEvents) {}

  async open(root: string, record: ContainerRecord, command: string[], cols: number, rows: number): Promise<string> {
    const { args, processFile } = execInvocation(root, record, { command, tty: true });
    let pty: typeof import('node-pty');
    try {
      pty = await import('node-pty');
    } catch (err) {
      rmSync(processFile, { force: true });
      throw new StevedoreError('INTERNAL', `terminals need node-pty, which did not load: ${(err as Error).message}`);
    }
    const sessionId = randomBytes(12).toString('hex');
    const term = pty.spawn('runc', args, { name: 'xterm-256color', cols, rows, env: process.env as Record<string, string> });
    this.sessions.set(sessionId, term);
    term.onData((data) => this.events.output(sessionId, data));
    term.onExit(({ exitCode }) => {
      this.sessions.delete(sessionId);
      rmSync(processFile, { force: true });
      this.events.exited(sessionId, exitCode);
    });
    return sessionId;
  }

  private session(sessionId: string): IPty {
    const term = this.sessions.get(sessionId);
    if (!term) throw new StevedoreError('NOT_FOUND', 'this terminal session has ended');
    return term;
  }

  // Each answers `{}`, the contract's empty result.
  input(sessionId: string, data: string): Record<string, never> {
    this.session(sessionId).write(data);
    return {};
  }

  resize(sessionId: string, cols: number, rows: number): Record<string, never> {
    this.session(sessionId).resize(cols, rows);
    return {};
  }

  close(sessionId: string): Record<string, never> {
    this.sessions.get(sessionId)?.kill();
    return {};
  }

  closeAll(): void {
    for (const term of this.sessions.values()) term.kill();
  }
}
