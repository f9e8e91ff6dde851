import type { Args } from '../../../../core/api/contract';

/** What the platform menu offers: this machine's (the engine's default), common ones, or all. */
export const HOST = 'host';
export const ALL = 'all';

export const commonPlatforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/386', 'linux/ppc64le', 'linux/s390x'];

/** The pull arguments a menu choice stands for: nothing for the host, the engine decides it. */
export function platformArgs(choice: string): Pick<Args<'images.pull'>, 'platform' | 'allPlatforms'> {
  if (choice === HOST) return {};
  if (choice === ALL) return { allPlatforms: true };
  return { platform: choice };
}
