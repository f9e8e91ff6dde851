import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { StevedoreError } from '../core/errors.js';
import { moduleInfo } from './elf.js';

/** A module's name as the kernel knows it: dashes and underscores are the same. */
function canonical(name: string): string {
  return name.replace(/-/g, '_');
}

function modulesUnder(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ko')) found.set(canonical(entry.name.slice(0, -3)), path);
    }
  };
  walk(dir);
  return found;
}

export interface KernelModule {
  name: string;
  /** Path of the .ko inside the kernel package, for the manifest. */
  source: string;
  path: string;
  /** The modules it needs loaded first (its `depends`), by name. */
  depends: string[];
}

/**
 * `wanted` and everything they depend on, dependencies first (the package ships no modules.dep:
 * depmod runs at install). A wanted module the kernel builds in is not an error: it is simply not
 * there to load.
 */
export function moduleLoadOrder(modulesDir: string, wanted: string[], builtin: Set<string>): KernelModule[] {
  const all = modulesUnder(modulesDir);
  const order: KernelModule[] = [];
  const seen = new Set<string>();
  const visit = (name: string, chain: string[]): void => {
    const key = canonical(name);
    if (seen.has(key)) return;
    const path = all.get(key);
    if (!path) {
      if (builtin.has(key)) return;
      throw new StevedoreError('INTERNAL', `kernel module ${key} (${chain.join(' → ')}) is neither in the package nor built in`);
    }
    seen.add(key);
    const depends = (moduleInfo(path).get('depends')?.[0] ?? '').split(',').filter(Boolean).map(canonical);
    for (const dep of depends) visit(dep, [...chain, dep]);
    order.push({ name: key, source: relative(modulesDir, path), path, depends: depends.filter((d) => all.has(d)) });
  };
  for (const name of wanted) visit(name, [name]);
  return order;
}

/** Names in the package's modules.builtin ("kernel/fs/ext4/ext4.ko" → "ext4"). */
export function builtinModules(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => canonical(line.replace(/^.*\//, '').replace(/\.ko$/, ''))),
  );
}

/**
 * busybox modprobe's modules.dep for `modules` (in load order, as moduleLoadOrder gives them),
 * laid flat in its directory: each `name.ko:` followed by every module it needs, nearest first,
 * as depmod writes them. The initramfs then loads them all with one `modprobe -a` instead of a
 * process per `insmod`: under TCG here 40 processes were ~0.35 s of each boot.
 */
export function modulesDep(modules: Pick<KernelModule, 'name' | 'depends'>[]): string {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const closure = (name: string): string[] => {
    const out: string[] = [];
    const walk = (n: string): void => {
      for (const dep of byName.get(n)?.depends ?? []) {
        if (out.includes(dep)) continue;
        out.push(dep);
        walk(dep);
      }
    };
    walk(name);
    return out;
  };
  return modules.map((m) => `${[`${m.name}.ko:`, ...closure(m.name).map((d) => `${d}.ko`)].join(' ')}\n`).join('');
}

const SIGNATURE_MARKER = Buffer.from('~Module signature appended~\n');

/**
 * A module without its appended signature. Debian's kernel checks a signature only to decide a
 * taint flag unless it is locked down (UEFI Secure Boot, which a Stevedore machine does not have),
 * and loads an unsigned module all the same; under TCG the checks of the ~40 modules' RSA
 * signatures and SHA-256 digests were ~0.14 s of each boot (five boots each, alternated). The
 * packages the modules come from are checked by apt at build time.
 */
export function withoutSignature(ko: Buffer): Buffer {
  if (ko.length < SIGNATURE_MARKER.length + 12 || !ko.subarray(ko.length - SIGNATURE_MARKER.length).equals(SIGNATURE_MARKER)) {
    return ko;
  }
  // struct module_signature (12 bytes) before the marker: its last field, big-endian, is the signature's length.
  const info = ko.length - SIGNATURE_MARKER.length - 12;
  const signatureLength = ko.readUInt32BE(info + 8);
  if (signatureLength > info) throw new StevedoreError('INTERNAL', 'a kernel module has a signature longer than itself');
  return ko.subarray(0, info - signatureLength);
}
