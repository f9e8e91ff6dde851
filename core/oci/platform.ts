import { StevedoreError } from '../errors.js';
import type { Descriptor, Platform } from './descriptor.js';

const nodeArch: Record<string, { architecture: string; variant?: string }> = {
  x64: { architecture: 'amd64' },
  arm64: { architecture: 'arm64', variant: 'v8' },
  arm: { architecture: 'arm', variant: 'v7' },
  ia32: { architecture: '386' },
  ppc64: { architecture: 'ppc64le' },
  s390x: { architecture: 's390x' },
  riscv64: { architecture: 'riscv64' },
};

/** Containers are Linux wherever the app runs (a VM backs them on macOS and Windows). */
export function hostPlatform(): Platform {
  const arch = nodeArch[process.arch] ?? { architecture: process.arch };
  return { os: 'linux', ...arch };
}

/** `os/arch[/variant]`, as docker's --platform takes it. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new StevedoreError('INVALID_ARGUMENT', `invalid platform "${text}": expected os/arch or os/arch/variant`);
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return normalizePlatform({ os, architecture, ...(variant ? { variant } : {}) });
}

export function formatPlatform(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

function normalizePlatform(p: Platform): Platform {
  let architecture = p.architecture;
  if (architecture === 'x86_64' || architecture === 'x86-64') architecture = 'amd64';
  if (architecture === 'aarch64') architecture = 'arm64';
  let variant = p.variant;
  if (architecture === 'arm64' && (variant === undefined || variant === '')) variant = 'v8';
  return { ...p, architecture, ...(variant ? { variant } : {}) };
}

/** Whether `candidate` can run where `wanted` is asked for; variants compare after normalizing. */
export function platformMatches(wanted: Platform, candidate: Platform | undefined): boolean {
  if (!candidate) return false;
  const w = normalizePlatform(wanted);
  const c = normalizePlatform(candidate);
  if (w.os !== c.os || w.architecture !== c.architecture) return false;
  return w.variant === undefined || c.variant === undefined || w.variant === c.variant;
}

/** The index entry for a platform: an exact variant match first, then any compatible one. */
export function selectPlatformManifest(manifests: Descriptor[], wanted: Platform): Descriptor | undefined {
  const compatible = manifests.filter((m) => platformMatches(wanted, m.platform));
  const w = normalizePlatform(wanted);
  return compatible.find((m) => m.platform && normalizePlatform(m.platform).variant === w.variant) ?? compatible[0];
}
