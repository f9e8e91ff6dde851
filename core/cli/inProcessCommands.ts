/**
 * Top-level commands that always run on an engine of their own, in this process, even when another
 * engine serves the store (core/cli/engineClientFor.ts): their work is more than contract calls.
 * - `run` (with -i or -t this terminal is the container's; without, it goes to a running engine
 *   itself, commands/run.ts), `exec`, `attach`: local streams;
 * - `build`/`builder` (the context is read here), `cp`, `export`, `import`, `save`, `load`:
 *   files and streams of this machine, named by paths relative to this process;
 * - `login`, `logout`: logins are the client's own, as docker's are (the app's engine would seal
 *   them in its store, not write Docker's config);
 * - `daemon`, `ui`, `agent` are the engine; `machine` drives this machine's VMs;
 * - `container-cleanup` and `container-healthcheck` are run by conmon for one container.
 * Every other command whose whole work is contract calls (those that hold a clientFor) goes
 * through the running engine, as docker's CLI goes through its daemon: the app sees the change
 * live, and one engine serves a store. Pure data, so that the launcher (dist/cli.cjs) reads it too.
 */
const IN_PROCESS_COMMANDS = new Set([
  'run',
  'exec',
  'attach',
  'build',
  'builder',
  'cp',
  'export',
  'import',
  'save',
  'load',
  'login',
  'logout',
  'daemon',
  'ui',
  'agent',
  'machine',
  'container-cleanup',
  'container-healthcheck',
]);

/** Whether the top-level command `name` may go through a running engine (`volume`, not `volume create`). */
export function mayUseRunningEngine(name: string): boolean {
  return !IN_PROCESS_COMMANDS.has(name);
}

/** `run`'s flags that keep it in this process: a terminal, or input. */
const IN_PROCESS_RUN_FLAG = /^--(interactive|tty)(=|$)|^-[A-Za-z]*[it][A-Za-z]*$/;

/**
 * Whether `run` with these arguments (those after `run`) may go to a running engine (commands/run.ts):
 * a foreground run with output alone, or a detached one (no -i, no -t). Read from
 * the raw arguments before commander parses them: a word of the container's command that looks
 * like one of those flags (`ls -t`) only makes the answer no, and a no is never wrong (the run
 * then goes where it would have gone anyway); a yes the CLI checks again once parsed.
 */
export function runMayGoThroughEngine(runArgs: readonly string[]): boolean {
  return !runArgs.some((arg) => IN_PROCESS_RUN_FLAG.test(arg));
}
