/**
 * The guest image as an OCI image (issue 13): a plain image, so that any registry serves it and
 * any client (ours, skopeo, crane) copies it; no artifact manifest, no custom media types.
 *
 * - One tar+gzip layer per file, each holding that one file at the top: `manifest.json` (the
 *   guest build's GuestManifest: artifacts' sha256 and sizes, packages, kernel, Node), then
 *   `vmlinux`, `initrd.img`, `rootfs.erofs`. A layer per file lets a new guest that changes only
 *   the root share the kernel's blob with the old one.
 * - Every layer carries `org.opencontainers.image.title` (the file's name, as ORAS names files).
 * - The config is an ordinary linux/amd64 image config whose labels say what it is; its `created`
 *   and every tar time are the build's SOURCE_DATE_EPOCH, owners 0:0, modes 0644: the same guest
 *   artifacts give the same image digest whoever stores them.
 */
export const GUEST_REPOSITORY = 'localhost/stevedore/guest';

export function guestImageRef(agentVersion: string): string {
  return `${GUEST_REPOSITORY}:${agentVersion}`;
}

export const TITLE_ANNOTATION = 'org.opencontainers.image.title';
export const MANIFEST_FILE = 'manifest.json';
/** The artifacts, in layer order after the manifest, by their GuestManifest key. */
export const ARTIFACT_KEYS = ['kernel', 'initrd', 'rootfs'] as const;

export const Label = {
  /** Says what this image is: `machine init --image` refuses anything else. */
  kind: 'org.stevedore.image.kind',
  agentVersion: 'org.stevedore.guest.agent-version',
  kernel: 'org.stevedore.guest.kernel',
  inputKey: 'org.stevedore.guest.inputs',
} as const;
export const GUEST_KIND = 'vm-guest';

/** A guest manifest is a few kB; anything far bigger is not one. */
export const MAX_MANIFEST_BYTES = 1 << 20;
/** No guest file is near this; a layer that claims more is refused before it is written. */
export const MAX_ARTIFACT_BYTES = 2 * 1024 ** 3;
