import { StevedoreError } from '../errors.js';
import { DEFAULT_PATH, type ImageConfig } from '../oci/config.js';

export interface ProcessOverrides {
  /** `IMAGE CMD...`: replaces the image's Cmd. */
  cmd?: string[];
  /** `--entrypoint`: replaces the Entrypoint, and drops the image's Cmd as docker does. */
  entrypoint?: string;
  env?: string[];
  workdir?: string;
  user?: string;
}

export interface ProcessPlan {
  args: string[];
  env: string[];
  cwd: string;
  user: string;
}

/** `K=V` lists merged by key, later ones winning, in first-seen order. */
export function mergeEnv(...lists: string[][]): string[] {
  const merged = new Map<string, string>();
  for (const list of lists) {
    for (const entry of list) {
      const eq = entry.indexOf('=');
      const key = eq === -1 ? entry : entry.slice(0, eq);
      if (key === '') throw new StevedoreError('INVALID_ARGUMENT', `invalid environment variable "${entry}"`);
      merged.set(key, entry);
    }
  }
  return [...merged.values()];
}

/**
 * image-spec conversion.md: the process is Entrypoint + Cmd, with docker's override rules; Env
 * is the image's with the run's on top (and a PATH when the image has none).
 */
export function planProcess(config: ImageConfig, overrides: ProcessOverrides): ProcessPlan {
  const c = config.config ?? {};
  const entrypoint =
    overrides.entrypoint !== undefined ? (overrides.entrypoint ? [overrides.entrypoint] : []) : (c.Entrypoint ?? []);
  const cmd = overrides.cmd && overrides.cmd.length > 0 ? overrides.cmd : overrides.entrypoint !== undefined ? [] : (c.Cmd ?? []);
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) throw new StevedoreError('INVALID_ARGUMENT', 'no command given, and the image has no Entrypoint or Cmd');
  const base = c.Env ?? [];
  const env = mergeEnv(base.some((e) => e.startsWith('PATH=')) ? [] : [`PATH=${DEFAULT_PATH}`], base, overrides.env ?? []);
  const cwd = overrides.workdir || c.WorkingDir || '/';
  if (!cwd.startsWith('/')) throw new StevedoreError('INVALID_ARGUMENT', `the working directory must be absolute, got "${cwd}"`);
  return { args, env, cwd, user: overrides.user ?? c.User ?? '' };
}
