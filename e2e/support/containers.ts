import { stevedore } from '../../testkit/cli';
import { busyboxLayer } from '../../testkit/layers';
import type { TestImage } from '../../testkit/ociLayout';

/** busybox with the applets a container test runs: a shell, sleep for its loops, httpd to publish a port. */
export async function busyboxImage(refName: string): Promise<TestImage> {
  return {
    refName,
    layers: [await busyboxLayer(['sh', 'echo', 'sleep', 'cat', 'ls', 'true', 'mkdir', 'httpd'])],
    config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
  };
}

/**
 * Kills and removes every container in the store, through the CLI: a test that failed half-way
 * must not leave runc processes, mounts or network namespaces behind. Returns what it removed.
 */
export function removeAllContainers(root: string): string[] {
  const listed = stevedore(root, ['ps', '-aq', '--no-trunc']);
  const ids = listed.stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const r = stevedore(root, ['rm', '-f', ...ids]);
  if (r.code !== 0) throw new Error(`stevedore rm -f failed: ${r.stderr}`);
  return ids;
}
