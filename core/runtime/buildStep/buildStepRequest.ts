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
 * A build's RUN step as the runtime seam takes it (RuntimeBackend.runBuildStep): plain data the
 * native runtime runs here and a machine's runtime sends to its agent, plus this engine's lease.
 */
export interface BuildStepRequest {
  /** The layers the step runs over, bottom first (none over scratch). */
  layers: BuiltLayer[];
  process: StepProcess;
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
