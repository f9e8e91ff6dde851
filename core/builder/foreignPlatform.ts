import type { Platform } from '../oci/descriptor.js';
import { BINFMT_MISC, missingInterpreter } from '../oci/hostEmulation.js';
import { formatPlatform, hostPlatform } from '../oci/platform.js';

export { BINFMT_MISC, qemuName } from '../oci/hostEmulation.js';

/**
 * Why RUN steps of `platform` cannot run on this machine, or undefined when they can (see
 * missingInterpreter). Asked before any step runs, so that a build does not fail at its first RUN
 * after minutes of work.
 */
export function foreignRunProblem(platform: Platform, binfmt = BINFMT_MISC): string | undefined {
  const host = hostPlatform();
  if (platform.os !== 'linux') return `RUN steps for ${formatPlatform(platform)} cannot run: containers here are linux ones`;
  const entry = missingInterpreter(platform, binfmt);
  if (entry === undefined) return undefined;
  return (
    `RUN steps for ${formatPlatform(platform)} need qemu-user registered with binfmt_misc, and ${entry} is not there ` +
    `(install qemu-user-static or qemu-user-binfmt, or build for ${formatPlatform(host)})`
  );
}
