// An engine started on demand (`stevedore daemon --exit-when-idle`): the one a normal user's
// rootless command leaves running (core/cli/engineAutoStart.ts), so that the next command goes
// through it instead of entering the user namespace with a second Node. It records itself beside
// the engine socket, ends once nothing has used it for a while, and gives the socket up to a face
// that lives as long as its window or terminal (the app, `stevedore ui`, a plain `daemon`).
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcess, processStartTicks } from '../runtime/processIdentity.js';

/** The signal that asks an engine started on demand to give its socket up (it ends once its clients have). */
export const HAND_OVER_SIGNAL = 'SIGUSR2';

interface OnDemandRecord {
  pid: number;
  startTicks: number | null;
}

function recordPath(root: string): string {
  return join(root, 'engine-on-demand.json');
}

function readRecord(root: string): OnDemandRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(recordPath(root), 'utf8')) as OnDemandRecord;
    return Number.isInteger(record.pid) && record.pid > 1 ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Written by the engine started on demand once it serves. Returns what removes it, when it still
 * names this process (the engine that serves after this one may have written its own).
 */
export function recordOnDemandEngine(root: string): () => void {
  const path = recordPath(root);
  writeFileSync(path, JSON.stringify({ pid: process.pid, startTicks: processStartTicks(process.pid) }), { mode: 0o600 });
  return () => {
    if (readRecord(root)?.pid === process.pid) rmSync(path, { force: true });
  };
}

/** The pid of the engine started on demand that serves `root` (its record names a process that runs), if one does. */
function onDemandEnginePid(root: string): number | undefined {
  const record = readRecord(root);
  return record && isSameProcess(record.pid, record.startTicks) ? record.pid : undefined;
}

/** Whether an engine started on demand serves `root`. */
export function onDemandEngineServes(root: string): boolean {
  return onDemandEnginePid(root) !== undefined;
}

/**
 * Asks the engine started on demand that serves `root`, if that is what serves it, to give its
 * socket up. False when the socket's engine is not one (then it stays).
 */
export function askOnDemandEngineToLeave(root: string): boolean {
  const pid = onDemandEnginePid(root);
  if (pid === undefined) return false;
  try {
    process.kill(pid, HAND_OVER_SIGNAL);
    return true;
  } catch {
    return false;
  }
}

/** What an engine started on demand watches, every CHECK_MS. */
export interface OnDemandWatch {
  /** How long it may go unused: no client connected and no transfer running. */
  idleMs: number;
  /** Its clients now. */
  clients(): number;
  /** Whether work it started still runs (a pull a client left). */
  busy(): Promise<boolean>;
  /** The store it serves. */
  root: string;
  /** The user namespace it runs in, for a rootless engine: it ends with it, since later commands make another. */
  inNamespace?: () => boolean;
  /** The file its code was loaded from: once replaced (an upgrade), later commands get an engine of the new build. */
  codeFile?: string;
  /** Called once, with why it should end (it then stops taking clients, and ends once those it has are done). */
  end(why: string): void;
}

const CHECK_MS = 2000;

/** Starts watching; returns what stops it. */
export function watchOnDemandEngine(watch: OnDemandWatch): () => void {
  const code = watch.codeFile ? statSync(watch.codeFile, { throwIfNoEntry: false }) : undefined;
  let idleSince = Date.now();
  let checking = false;
  const timer = setInterval(async () => {
    if (checking) return;
    checking = true;
    try {
      const why = await reasonToEnd();
      if (why) {
        clearInterval(timer);
        watch.end(why);
      }
    } finally {
      checking = false;
    }
  }, CHECK_MS);
  timer.unref();

  async function reasonToEnd(): Promise<string | undefined> {
    if (!existsSync(watch.root)) return 'its store was removed';
    if (watch.inNamespace && !watch.inNamespace()) return 'its user namespace has ended';
    if (code && watch.codeFile) {
      const now = statSync(watch.codeFile, { throwIfNoEntry: false });
      if (!now || now.size !== code.size || now.mtimeMs !== code.mtimeMs) return 'Stevedore was rebuilt or upgraded';
    }
    if (watch.clients() > 0 || (await watch.busy())) {
      idleSince = Date.now();
      return undefined;
    }
    return Date.now() - idleSince >= watch.idleMs ? `unused for ${Math.round(watch.idleMs / 1000)} s` : undefined;
  }

  return () => clearInterval(timer);
}
