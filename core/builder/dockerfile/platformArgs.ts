/**
 * The ARGs Docker defines by itself (BuildKit's automatic platform ARGs): usable in FROM lines
 * as they are, and in a stage after `ARG TARGETARCH` (etc.) without a value.
 */
import type { Platform } from '../../oci/descriptor.js';

export const platformArgNames = [
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
] as const;

/** Platforms as containerd formats them for these ARGs: arm64's implied v8 is left out, arm is v7. */
function normalized(p: Platform): { os: string; architecture: string; variant: string } {
  let architecture = p.architecture.toLowerCase();
  let variant = (p.variant ?? '').toLowerCase();
  if (architecture === 'aarch64') architecture = 'arm64';
  if (architecture === 'x86_64' || architecture === 'x86-64') architecture = 'amd64';
  if (architecture === 'arm64' && ['8', 'v8', 'v8.0'].includes(variant)) variant = '';
  if (architecture === 'arm' && (variant === '' || variant === '7')) variant = 'v7';
  if (architecture === 'amd64' && variant === 'v1') variant = '';
  return { os: p.os.toLowerCase(), architecture, variant };
}

export function platformArgs(target: Platform, build: Platform): Map<string, string> {
  const args = new Map<string, string>();
  for (const [prefix, platform] of [
    ['TARGET', target],
    ['BUILD', build],
  ] as const) {
    const p = normalized(platform);
    args.set(`${prefix}PLATFORM`, [p.os, p.architecture, p.variant].filter((s) => s !== '').join('/'));
    args.set(`${prefix}OS`, p.os);
    args.set(`${prefix}ARCH`, p.architecture);
    args.set(`${prefix}VARIANT`, p.variant);
  }
  return args;
}

/** Build args Docker predefines for RUN's environment without any ARG (and keeps out of history). */
export const proxyArgNames: ReadonlySet<string> = new Set([
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
]);
