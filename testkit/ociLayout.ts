import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface TestImage {
  /** Written as the layout's org.opencontainers.image.ref.name (a tag, or a full reference). */
  refName?: string;
  layers: Buffer[];
  gzip?: boolean;
  /** zstd through Debian's zstd command (Node 20 cannot write it). */
  zstd?: boolean;
  config?: Record<string, unknown>;
  history?: { created_by: string; empty_layer?: boolean }[];
  created?: string;
  architecture?: string;
}

export interface WrittenImage {
  manifestDigest: string;
  manifestSize: number;
  configDigest: string;
  layerDigests: string[];
  diffIds: string[];
}

function zstdSync(data: Buffer): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr}`);
  return r.stdout;
}

const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function writeBlob(dir: string, bytes: Buffer | string): { digest: string; size: number } {
  const digest = sha256(bytes);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: Buffer.byteLength(bytes) };
}

/** Adds images to an OCI image layout (creating it), as umoci or skopeo would write them. */
export function writeLayout(dir: string, images: TestImage[]): WrittenImage[] {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  let index: { schemaVersion: 2; manifests: unknown[] } = { schemaVersion: 2, manifests: [] };
  try {
    index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  } catch {
    // a new layout
  }
  const written: WrittenImage[] = [];
  for (const image of images) {
    const diffIds = image.layers.map((l) => sha256(l));
    const compress = (l: Buffer) => (image.zstd ? zstdSync(l) : image.gzip ? gzipSync(l, { level: 1 }) : l);
    const layerBlobs = image.layers.map((l) => writeBlob(dir, compress(l)));
    const config = {
      created: image.created ?? '2024-01-01T00:00:00Z',
      architecture: image.architecture ?? 'amd64',
      os: 'linux',
      config: image.config ?? { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: image.history ?? image.layers.map((_, i) => ({ created_by: `layer ${i + 1}` })),
    };
    const configBlob = writeBlob(dir, JSON.stringify(config));
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
      layers: layerBlobs.map((b) => ({
        mediaType: `application/vnd.oci.image.layer.v1.tar${image.zstd ? '+zstd' : image.gzip ? '+gzip' : ''}`,
        ...b,
      })),
    };
    const manifestBlob = writeBlob(dir, JSON.stringify(manifest));
    index.manifests.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...manifestBlob,
      ...(image.refName ? { annotations: { 'org.opencontainers.image.ref.name': image.refName } } : {}),
    });
    written.push({
      manifestDigest: manifestBlob.digest,
      manifestSize: manifestBlob.size,
      configDigest: configBlob.digest,
      layerDigests: layerBlobs.map((b) => b.digest),
      diffIds,
    });
  }
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
  return written;
}

/**
 * Makes images already written to the layout (by writeLayout, without refName) one multi-platform
 * image: an OCI index listing each manifest with its platform, named `refName` in index.json in
 * their place.
 */
export function writeIndex(
  dir: string,
  refName: string,
  entries: { image: WrittenImage; platform: { os: string; architecture: string; variant?: string } }[],
): { indexDigest: string } {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    schemaVersion: 2;
    manifests: { digest: string }[];
  };
  const digests = new Set(entries.map((e) => e.image.manifestDigest));
  const blob = writeBlob(
    dir,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: entries.map(({ image, platform }) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: image.manifestDigest,
        size: image.manifestSize,
        platform,
      })),
    }),
  );
  index.manifests = [
    ...index.manifests.filter((m) => !digests.has(m.digest)),
    {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      ...blob,
      annotations: { 'org.opencontainers.image.ref.name': refName },
    } as unknown as { digest: string },
  ];
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
  return { indexDigest: blob.digest };
}
