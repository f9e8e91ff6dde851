/**
 * Annotation keys of image-spec's annotations.md that Stevedore reads or writes. A module of its
 * own, without zod: the store reads names on every command, and descriptor.ts's schemas would load
 * all of zod into commands that never validate a document (a cached rebuild: 14 ms of a CLI run).
 */

/** The annotation that names a manifest in an image layout's index.json. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
