import type { ImageConfig } from '../oci/config.js';
import type { BuiltLayer } from '../runtime/buildStep/buildStepRequest.js';

export type { BuiltLayer };

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
