import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomLayer } from '../layers.js';
import { type TestImage, type WrittenImage, writeLayout } from '../ociLayout.js';
import { FaultProxy } from './faultProxy.js';
import { type RegistryOptions, type RunningRegistry, startRegistry } from './registry.js';

/** A registry with a fault proxy in front; tests speak to `host` (the proxy). */
export interface ProxiedRegistry {
  registry: RunningRegistry;
  proxy: FaultProxy;
  host: string;
  stop(): Promise<void>;
}

export async function startProxiedRegistry(options: RegistryOptions = {}): Promise<ProxiedRegistry> {
  const registry = await startRegistry(options);
  const proxy = new FaultProxy(registry.port);
  await proxy.start();
  return {
    registry,
    proxy,
    host: proxy.host,
    stop: async () => {
      await proxy.stop();
      await registry.stop();
    },
  };
}

/** Writes images into an OCI layout; layers of random bytes (incompressible) gzipped, as registries mostly hold. */
export async function layoutWithImages(dir: string, images: TestImage[]): Promise<WrittenImage[]> {
  return writeLayout(
    dir,
    images.map((i) => ({ gzip: true, ...i })),
  );
}

export async function randomLayers(sizes: number[]): Promise<Buffer[]> {
  return Promise.all(sizes.map((s, i) => randomLayer(s, `file${i}.bin`)));
}

const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/**
 * Adds an OCI index over two of the layout's images, one per platform, named `refName`: a
 * multi-platform image as buildx pushes them.
 */
export function addIndex(
  dir: string,
  refName: string,
  entries: { image: WrittenImage; platform: { os: string; architecture: string; variant?: string } }[],
): string {
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: entries.map(({ image, platform }) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: image.manifestDigest,
      size: image.manifestSize,
      platform,
    })),
  };
  const bytes = JSON.stringify(index);
  const digest = sha256(bytes);
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  const layoutIndex = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  layoutIndex.manifests.push({
    mediaType: index.mediaType,
    digest,
    size: Buffer.byteLength(bytes),
    annotations: { 'org.opencontainers.image.ref.name': refName },
  });
  writeFileSync(join(dir, 'index.json'), JSON.stringify(layoutIndex));
  return digest;
}
