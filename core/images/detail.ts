import type { ImageDetail } from '../api/images.schema.js';
import type { Descriptor } from '../oci/descriptor.js';
import { describeMediaType } from '../oci/mediaTypes.js';
import { formatPlatform } from '../oci/platform.js';
import type { Store } from '../store/store.js';
import type { NamedFacts } from './imageFacts.js';
import { displayName } from './imageName.js';
import type { ImageRecord } from './imageRecords.js';
import { imageSize } from './summaries.js';

/**
 * Everything the image detail view and `inspect` show. `all`: every image's facts (the image
 * list's cache, imageFacts.ts), for the images each layer is shared with: not every image's
 * manifest and config read again.
 */
export function describeImage(store: Store, image: ImageRecord, all: readonly NamedFacts[]): ImageDetail {
  const c = image.config.config ?? {};
  const diffIds = image.config.rootfs.diff_ids;
  const others = all.filter((o) => o.topDigest !== image.top.digest);
  return {
    id: image.configDigest,
    references: image.refs,
    digest: image.top.digest,
    mediaType: image.top.mediaType,
    mediaTypeLabel: describeMediaType(image.top.mediaType),
    manifestDigest: image.manifestDescriptor.digest,
    manifestMediaType: image.manifestDescriptor.mediaType,
    platform: {
      os: image.config.os,
      architecture: image.config.architecture,
      ...(image.config.variant ? { variant: image.config.variant } : {}),
    },
    platforms: ((image.index?.manifests ?? []) as Descriptor[]).map((m) => ({
      platform: formatPlatform(m.platform),
      digest: m.digest,
      present: store.hasBlob(m.digest),
    })),
    created: image.config.created ?? null,
    author: image.config.author ?? null,
    size: imageSize(image),
    config: {
      entrypoint: c.Entrypoint ?? null,
      cmd: c.Cmd ?? null,
      env: c.Env ?? [],
      workingDir: c.WorkingDir || null,
      user: c.User || null,
      exposedPorts: Object.keys(c.ExposedPorts ?? {}),
      volumes: Object.keys(c.Volumes ?? {}),
      labels: c.Labels ?? {},
      stopSignal: c.StopSignal || null,
    },
    history: (image.config.history ?? []).map((h) => ({
      created: h.created ?? null,
      createdBy: h.created_by ?? '',
      comment: h.comment ?? null,
      emptyLayer: h.empty_layer === true,
    })),
    layers: image.manifest.layers.map((layer, i) => ({
      digest: layer.digest,
      mediaType: layer.mediaType,
      size: layer.size,
      diffId: diffIds[i] ?? null,
      sharedWith: others.filter((o) => o.layers.some(([digest]) => digest === layer.digest)).map(displayName),
    })),
    manifestJson: store.readBlob(image.manifestDescriptor.digest).toString('utf8'),
    configJson: store.readBlob(image.configDigest).toString('utf8'),
  };
}
