/**
 * The environment variables that change how an engine runs containers: the root filesystem's
 * kind (containerRootfs.ts) and the OCI runtime program (runc.ts). A command whose own differ from
 * a running engine's does its work itself, so that what it asks for is what it gets.
 */
const RUNTIME_SETTINGS = ['STEVEDORE_ROOTFS', 'STEVEDORE_OCI_RUNTIME'] as const;

/**
 * The variables an engine runs by, with its values (an unset one is empty): those above, and PATH
 * for an engine started on demand, whose environment is the command's that started it rather than
 * the session's of an app or a daemon someone started: the tools it finds are that command's.
 */
export function runtimeSettings(env: NodeJS.ProcessEnv, options: { withPath?: boolean } = {}): Record<string, string> {
  const names = options.withPath ? [...RUNTIME_SETTINGS, 'PATH'] : RUNTIME_SETTINGS;
  return Object.fromEntries(names.map((name) => [name, env[name] ?? '']));
}

/**
 * Whether `env` has the values an engine's handshake lists (JSON, as runtimeSettings makes), for
 * each variable it lists. An engine that lists none, or says something else, does not fit.
 */
export function fitsRuntimeSettings(listed: string | undefined, env: NodeJS.ProcessEnv): boolean {
  let settings: unknown;
  try {
    settings = JSON.parse(listed ?? '');
  } catch {
    return false;
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return false;
  return Object.entries(settings).every(([name, value]) => (env[name] ?? '') === value);
}
