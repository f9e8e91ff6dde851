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
}

/**
 * `wanted` and everything they depend on, dependencies first: the order `insmod` needs, since
 * the package ships no modules.dep (depmod runs at install) and the initramfs has no modprobe
 * data. A wanted module the kernel builds in is not an error: it is simply not there to load.
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
    const depends = moduleInfo(path).get('depends')?.[0] ?? '';
    for (const dep of depends.split(',').filter(Boolean)) visit(dep, [...chain, dep]);
    order.push({ name: key, source: relative(modulesDir, path), path });
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
