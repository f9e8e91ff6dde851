/** Media types from image-spec media-types.md and Docker's image manifest v2 schema 2. */
export const MediaType = {
  ociLayout: 'application/vnd.oci.layout.header.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

export type KnownMediaType = (typeof MediaType)[keyof typeof MediaType];

const indexTypes = new Set<string>([MediaType.ociIndex, MediaType.dockerManifestList]);
const manifestTypes = new Set<string>([MediaType.ociManifest, MediaType.dockerManifest]);
const schema1Types = new Set<string>([MediaType.dockerSchema1, MediaType.dockerSchema1Signed]);

export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && indexTypes.has(mediaType);
}

export function isManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && manifestTypes.has(mediaType);
}

export function isSchema1MediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && schema1Types.has(mediaType);
}

/** The label people see for a media type: "OCI manifest", "Docker manifest list", … */
export function describeMediaType(mediaType: string): string {
  switch (mediaType) {
    case MediaType.ociIndex:
      return 'OCI image index';
    case MediaType.ociManifest:
      return 'OCI image manifest';
    case MediaType.dockerManifest:
      return 'Docker image manifest (schema 2)';
    case MediaType.dockerManifestList:
      return 'Docker manifest list';
    default:
      return mediaType;
  }
}
