import type { EngineClient } from '../api/engineClient.js';
import type { Engine } from '../engine.js';
import { StevedoreError } from '../errors.js';
import { familiarReference, parseReference } from '../oci/reference.js';
import { inProcessClient } from '../server/inProcessClient.js';
import { pullSummary } from './transferProgress.js';
import { runTransfer } from './transferRun.js';

const POLICIES = ['missing', 'always', 'never'] as const;
export type PullPolicy = (typeof POLICIES)[number];

/** How a run or create gets its image: the policy, the platform asked for, and `-q` (no pull output). */
export interface PullRequest {
  policy: PullPolicy;
  platform?: string | undefined;
  quiet?: boolean | undefined;
}

export function parsePullPolicy(text: string): PullPolicy {
  if ((POLICIES as readonly string[]).includes(text)) return text as PullPolicy;
  throw new StevedoreError('INVALID_ARGUMENT', `invalid pull policy "${text}": use missing, always or never`);
}

/**
 * `run --pull`, as docker: `missing` (the default) pulls an image that is not in the store, saying
 * "Unable to find image … locally" first; `always` pulls every time; `never` runs what is there.
 * With `--platform`, an image stored without that platform's manifest is missing too, and the
 * pull asks for that platform. The pull's progress goes to stderr: stdout is the container's.
 * With `-q`, as docker's, nothing of the pull is printed.
 */
export async function pullForRun(engine: Engine, image: string, pull: PullRequest): Promise<void> {
  if (pull.policy === 'never') return;
  if (pull.policy === 'missing') {
    try {
      engine.resolveImage(image, pull.platform);
      return;
    } catch (err) {
      if (!isImageNotFound(err)) throw err;
    }
    sayNotFoundLocally(image, pull.quiet);
  }
  // Through the Router of the engine the container runs on.
  const client = inProcessClient(engine);
  try {
    await pullToRun(client, image, pull);
  } finally {
    engine.closeConnections();
  }
}

/**
 * `start` (a run through an engine client: the running engine's, or this process's Router) under
 * `--pull`: `always` pulls first; `missing` tries, and on an image not in the store says docker's
 * line, pulls through the same client and tries again; `never` only tries.
 */
export async function withPullPolicy<T>(
  client: EngineClient,
  image: string,
  pull: PullRequest,
  start: () => Promise<T>,
): Promise<T> {
  if (pull.policy === 'always') await pullToRun(client, image, pull);
  try {
    return await start();
  } catch (err) {
    if (pull.policy !== 'missing' || !isImageNotFound(err)) throw err;
    sayNotFoundLocally(image, pull.quiet);
    await pullToRun(client, image, pull);
    return start();
  }
}

export function isImageNotFound(err: unknown): boolean {
  return err instanceof StevedoreError && err.code === 'IMAGE_NOT_FOUND';
}

/** docker's line before it pulls a missing image (not with -q); an ID is not a name to pull, and stays not found. */
export function sayNotFoundLocally(image: string, quiet = false): void {
  let shown: string;
  try {
    shown = familiarReference(parseReference(image));
  } catch {
    throw new StevedoreError('IMAGE_NOT_FOUND', `no such image: ${image}`);
  }
  if (!quiet) process.stderr.write(`Unable to find image '${shown}' locally\n`);
}

/** The CLI's one pull (transferRun.ts), its progress on stderr (stdout is the container's), or none with -q. */
async function pullToRun(client: EngineClient, image: string, pull: PullRequest): Promise<void> {
  const result = await runTransfer(client, 'images.pull', { ref: image, platform: pull.platform }, process.stderr, !pull.quiet);
  if (!pull.quiet) process.stderr.write(pullSummary(result));
}
