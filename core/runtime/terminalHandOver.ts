import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';

/**
 * Readies this process's terminal before `runc run -t` / `runc exec -t` take it as their stdin.
 *
 * An end of input already typed or sent (a ^D, or `script` whose own stdin ended: it writes the
 * terminal's EOF character) waits in the terminal's canonical-mode buffer as a marker that Linux's
 * line discipline stores as a NUL byte (n_tty's __DISABLED_CHAR). runc switches the terminal to raw
 * mode, and in raw mode that marker is read as a real NUL: runc copies it to the container's
 * terminal, which echoes it as `^@` before the command's first output (docker shows the same).
 *
 * In canonical mode a read returns 0 for that marker alone, so it is taken here, without waiting:
 * the terminal is opened again with O_NONBLOCK (a file description of our own, so the caller's
 * shell keeps its blocking stdin). Nothing pending, or a line not yet ended, stays for runc. A
 * whole line typed ahead and ended before the container started is consumed by that read and
 * given back to nobody: the price of reading a terminal without an ioctl to peek.
 */
function takePendingEndOfInput(): void {
  if (!process.stdin.isTTY) return;
  let fd: number;
  try {
    fd = openSync('/proc/self/fd/0', constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return;
  }
  try {
    // EAGAIN (thrown): nothing pending. 0: the end-of-input marker, now taken. More: a line, then look again.
    const buffer = Buffer.alloc(4096);
    for (let reads = 0; reads < 16 && readSync(fd, buffer, 0, buffer.length, null) > 0; reads++);
  } catch {
    // nothing pending
  } finally {
    closeSync(fd);
  }
}

/**
 * Readies this process's terminal for a runc given it with `-t`: takePendingEndOfInput, then
 * the terminal in raw mode until the returned function is called, once runc has ended. runc sets
 * it raw itself, but only after it has begun copying the container's output to it: output that
 * comes first (an `echo` that ends at once, on a busy machine) goes through the terminal's output
 * processing, and each \r\n the container's own terminal made shows as \r\r\n. Set raw before runc
 * starts, nothing is processed twice; runc keeps the mode it finds and gives it back as it was.
 *
 * Raw as runc makes it (cfmakeraw), output processing off too: libuv's raw mode, Node's
 * setRawMode, keeps ONLCR on, so `stty -opost` turns it off. setRawMode(false) puts back the
 * terminal as libuv found it, output processing included.
 */
export function handOverTerminal(tty: boolean): () => void {
  const stdin = process.stdin;
  // Already handed over (start -ai, whose attach hands it over again): its giver gives it back,
  // and what is typed from now on is the container's.
  if (stdin.isTTY && stdin.isRaw) return () => undefined;
  takePendingEndOfInput();
  if (!tty || !stdin.isTTY) return () => undefined;
  setTerminalRaw();
  let given = false;
  return () => {
    if (given) return;
    given = true;
    stdin.setRawMode(false);
  };
}

/**
 * This process's terminal raw as a container's terminal needs it, whatever copies that terminal's
 * output here (runc, or a stream from an engine or a machine): cfmakeraw's raw, output processing
 * off too, so the container's \r\n is not written \r\r\n. `process.stdin.setRawMode(false)` undoes it.
 */
export function setTerminalRaw(): void {
  process.stdin.setRawMode(true);
  spawnSync('stty', ['-opost'], { stdio: ['inherit', 'ignore', 'ignore'] });
}
