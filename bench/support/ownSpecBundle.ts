import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { containerPaths } from '../../core/runtime/containerRecord.js';
import type { Containers } from '../../core/runtime/containers.js';

/**
 * A bundle for bare `runc run` with the config.json the engine writes for `image` running `args`
 * with --network none: its seccomp profile, masked and read-only paths, capabilities and mounts,
 * over `rootfs` (the bare bundle's) instead of the container's overlay, and without the poststop
 * hook that unmounts that overlay. What runc alone costs on the engine's own spec: the part of an
 * in-process run that is not the engine's.
 */
export async function makeOwnSpecBundle(
  containers: Containers,
  image: string,
  args: string[],
  rootfs: string,
  bundle: string,
): Promise<void> {
  const created = await containers.create({ image, command: args, network: 'none', autoRemove: true });
  try {
    await containers.prepareStart(created);
    const { dir } = containerPaths(containers.root, created.id);
    const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      root: { path: string };
      hooks?: unknown;
      mounts: { source?: string }[];
    };
    mkdirSync(bundle, { recursive: true });
    spec.root.path = rootfs;
    delete spec.hooks;
    // The container's own files (hosts, hostname, resolv.conf) go with the container: copies stay.
    for (const mount of spec.mounts) {
      if (!mount.source?.startsWith(`${dir}/`)) continue;
      const copy = join(bundle, basename(mount.source));
      copyFileSync(mount.source, copy);
      mount.source = copy;
    }
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
  } finally {
    await containers.remove(created.id, true);
  }
}
