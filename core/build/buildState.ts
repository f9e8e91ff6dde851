import type { Digest } from '../digest/digest.js';
import type { ImageConfig } from '../oci/config.js';
import type { Descriptor } from '../oci/descriptor.js';

/** One layer of an image being built: as stored (compressed), and its diff ID. */
export interface BuiltLayer {
  descriptor: Descriptor;
  diffId: Digest;
}

/**
 * Where a stage stands after a step: the image config so far (execution config, rootfs diff IDs,
 * history) and its layers; `key` is the cache key of this point, which every next step extends.
 */
export interface BuildState {
  key: string;
  config: ImageConfig;
  layers: BuiltLayer[];
  /** CMD was set in this stage (ENTRYPOINT then keeps it; an inherited CMD it resets). */
  cmdSet?: boolean;
}
