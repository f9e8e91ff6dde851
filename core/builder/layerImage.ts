import type { Readable } from 'node:stream';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import { storeLayerTar } from '../layers/storeLayer.js';
import type { ImageConfig } from '../oci/config.js';
import type { Descriptor } from '../oci/descriptor.js';
import { hostPlatform } from '../oci/platform.js';
import { formatReference, parseTaggedReference } from '../oci/reference.js';
import type { Store } from '../store/store.js';
import { commitImage } from './imageCommit.js';

type ContainerConfig = NonNullable<ImageConfig['config']>;

/** A Dockerfile word list: JSON (`["a","b"]`) as given, else the shell form docker runs with `/bin/sh -c`. */
function commandOf(text: string): string[] {
  if (text.trim().startsWith('[')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed;
    } catch {
      // not JSON: the shell form
    }
  }
  return ['/bin/sh', '-c', text];
}

/** `KEY=VALUE …` or `KEY VALUE` (ENV, LABEL). */
function pairsOf(text: string): [string, string][] {
  if (!text.includes('=')) {
    const [key = '', ...rest] = text.trim().split(/\s+/);
    return [[key, rest.join(' ')]];
  }
  return [...text.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g)].map(([, k, v]) => [
    k!,
    v!.startsWith('"') ? (JSON.parse(v!) as string) : v!,
  ]);
}

/**
 * docker's `commit -c` and `import -c`: the Dockerfile instructions that change only the config
 * (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL); others are refused.
 */
export function applyChanges(config: ContainerConfig, changes: string[]): ContainerConfig {
  const out: ContainerConfig = { ...config };
  for (const change of changes) {
    const match = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(change);
    const instruction = match?.[1]?.toUpperCase();
    const rest = match?.[2]?.trim() ?? '';
    switch (instruction) {
      case 'CMD':
        out.Cmd = commandOf(rest);
        break;
      case 'ENTRYPOINT':
        out.Entrypoint = commandOf(rest);
        break;
      case 'ENV': {
        const env = [...(out.Env ?? [])];
        for (const [k, v] of pairsOf(rest)) {
          const at = env.findIndex((e) => e.startsWith(`${k}=`));
          if (at >= 0) env[at] = `${k}=${v}`;
          else env.push(`${k}=${v}`);
        }
        out.Env = env;
        break;
      }
      case 'LABEL':
        out.Labels = { ...(out.Labels ?? {}), ...Object.fromEntries(pairsOf(rest)) };
        break;
      case 'EXPOSE':
        out.ExposedPorts = {
          ...(out.ExposedPorts ?? {}),
          ...Object.fromEntries(rest.split(/\s+/).map((p) => [p.includes('/') ? p : `${p}/tcp`, {}])),
        };
        break;
      case 'VOLUME':
        out.Volumes = {
          ...(out.Volumes ?? {}),
          ...Object.fromEntries((rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/)).map((v) => [v, {}])),
        };
        break;
      case 'USER':
        out.User = rest;
        break;
      case 'WORKDIR':
        out.WorkingDir = rest;
        break;
      case 'STOPSIGNAL':
        out.StopSignal = rest;
        break;
      default:
        throw new StevedoreError(
          'INVALID_ARGUMENT',
          `invalid --change "${change}": use CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR or STOPSIGNAL`,
        );
    }
  }
  return out;
}

/**
 * An image made of `base`'s layers (none for `import`) and one more, the layer tar given: docker's
 * `commit` (the container's changes over its image) and `import` (a tar as a one-layer image).
 * Named with `tags`, or stored untagged. Resolves to the image ID.
 */
export async function storeLayerImage(
  store: Store,
  request: {
    base?: ImageRecord | undefined;
    tar: Readable;
    tags: string[];
    changes: string[];
    createdBy: string;
    comment?: string | undefined;
    author?: string | undefined;
  },
): Promise<Digest> {
  const tags = request.tags.map((t) => formatReference(parseTaggedReference(t)));
  const lease = store.newLease();
  try {
    const layer = await storeLayerTar(store, lease, request.tar);
    const base = request.base;
    const baseLayers = base
      ? (base.manifest.layers as Descriptor[]).map((descriptor, i) => ({
          descriptor,
          diffId: base.config.rootfs.diff_ids[i] as Digest,
        }))
      : [];
    const created = new Date().toISOString();
    const platform = hostPlatform();
    const config: ImageConfig = {
      ...(base?.config ?? { architecture: platform.architecture, os: platform.os }),
      created,
      ...(request.author ? { author: request.author } : {}),
      config: applyChanges(base?.config.config ?? {}, request.changes),
      rootfs: { type: 'layers', diff_ids: [...(base?.config.rootfs.diff_ids ?? []), layer.diffId] },
      history: [
        ...(base?.config.history ?? []),
        { created, created_by: request.createdBy, ...(request.comment ? { comment: request.comment } : {}) },
      ],
    };
    const { imageId } = await commitImage(store, { key: '', config, layers: [...baseLayers, layer] }, tags);
    return imageId;
  } finally {
    lease.release();
  }
}
