import type { Descriptor } from '../oci/descriptor.js';

/**
 * When a name was last pulled, kept on its index.json entry (the OCI image layout allows any
 * annotation there; skopeo and umoci ignore this one). Written as the pull commits, under the
 * index lock, so it costs no file of its own; a tag made later starts with the image's time.
 */
export const PULLED_ANNOTATION = 'io.stevedore.image.pulled';

/** The descriptor a pull names, stamped with the time of the pull. */
export function stampPulled(descriptor: Descriptor, now: Date): Descriptor {
  return { ...descriptor, annotations: { ...descriptor.annotations, [PULLED_ANNOTATION]: now.toISOString() } };
}

/** The time an index.json entry was last pulled, if it was. */
export function pulledAt(descriptor: Descriptor): string | null {
  return descriptor.annotations?.[PULLED_ANNOTATION] ?? null;
}
