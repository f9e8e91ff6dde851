/** Whether a process with this pid exists (files named by pid outlive crashed processes). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `<pid>-<anything>`: the pid that owns a temp or lease file. */
export function ownerPid(fileName: string): number {
  return Number.parseInt(fileName.split('-', 1)[0] ?? '', 10);
}
