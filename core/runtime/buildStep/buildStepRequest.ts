import type { Digest } from '../../digest/digest.js';
import type { Descriptor } from '../../oci/descriptor.js';
import type { Lease } from '../../store/lease.js';
import type { StepProcess } from './stepContainer.js';

/** One layer of an image being built: as stored (compressed), and its diff ID. */
export interface BuiltLayer {
  descriptor: Descriptor;
  diffId: Digest;
}

/** A file a RUN step reads at a path of its own: a `#!` heredoc's script, mounted read-only. */
export interface StepFile {
  path: string;
  content: string;
  mode: number;
}

/**
 * A RUN --mount as the seam takes it: what the step is to see, made by the runtime that runs the
 * step (stepMounts.ts, here or by a machine's agent), which also unmakes it after the step.
 * - `tmpfs`: a fresh tmpfs, of `size` bytes at most;
 * - `cache`: the directory kept by that runtime across builds for `id` (a hash of the mount's id);
 * - `bind`: `source`, a path of this machine's, read-only; with `readOnly: false` the step writes
 *   to a throw-away overlay over it, never to the source;
 * - `secret`: a file holding `value`, with that owner and mode, removed after the step;
 * - `socket`: an agent's socket (`--ssh`), bound for the step only.
 */
export type StepMount =
  | { type: 'tmpfs'; destination: string; size?: number }
  | { type: 'cache'; destination: string; id: string; readOnly: boolean; mode: number; uid: number; gid: number }
  | { type: 'bind'; destination: string; source: string; readOnly: boolean }
  | { type: 'secret'; destination: string; value: Buffer; mode: number; uid: number; gid: number }
  | { type: 'socket'; destination: string; source: string };

/** The step's process as the seam takes it: its mounts not made yet. */
export type StepProcessRequest = Omit<StepProcess, 'mounts'> & { mounts: StepMount[] };

/**
 * A build's RUN step as the runtime seam takes it (RuntimeBackend.runBuildStep): plain data the
 * native runtime runs here and a machine's runtime sends to its agent, plus this engine's lease.
 */
export interface BuildStepRequest {
  /** The layers the step runs over, bottom first (none over scratch). */
  layers: BuiltLayer[];
  process: StepProcessRequest;
  files: StepFile[];
  /** A directory of the build's, removed after it: where this engine keeps the step's files. */
  buildDir: string;
  /** Holds the new layer in this engine's store until the image naming it is committed. */
  lease: Lease;
  /** Clamp the layer's file times to this (SOURCE_DATE_EPOCH). */
  sourceDateEpoch?: number;
  /** Cancels the step (builds.cancel): its container is killed, and it fails as cancelled. */
  signal?: AbortSignal;
}

/** The step's layer, in this engine's store. */
export type BuildStepResult = BuiltLayer;
