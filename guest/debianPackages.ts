import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StevedoreError } from '../core/errors.js';

/** A package as apt resolves it now: the version it would install and the .deb's digest. */
export interface ResolvedPackage {
  name: string;
  version: string;
  sha256: string;
  depends: string;
}

function tool(command: string, args: string[], options: { cwd?: string } = {}): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw new StevedoreError('INTERNAL', `${command} could not run: ${r.error.message}`);
  if (r.status !== 0)
    throw new StevedoreError('INTERNAL', `${command} ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

function field(record: string, name: string): string | undefined {
  const m = new RegExp(`^${name}: (.*)$`, 'm').exec(record);
  return m?.[1]?.trim();
}

/**
 * Options that keep apt's binary package cache in `cacheDir`. Debian's container images turn
 * that cache off (`Dir::Cache::pkgcache ""`), so every apt-cache run parses all of apt's lists
 * again (~1 s); with a cache file of its own, apt checks it against the lists and reuses it
 * (~0.3 s), remaking it itself when the lists change. Nothing outside `cacheDir` is written.
 */
function aptCacheOptions(cacheDir: string | undefined): string[] {
  if (!cacheDir) return [];
  mkdirSync(cacheDir, { recursive: true });
  return ['-o', `Dir::Cache::pkgcache=${join(cacheDir, 'pkgcache.bin')}`, '-o', 'Dir::Cache::srcpkgcache='];
}

/**
 * Apt's candidates for `names` (`apt-cache show --no-all-versions`: the versions `apt-get
 * download` fetches), in one call. `cacheDir`: where apt may keep its package cache.
 */
export function resolvePackages(names: string[], cacheDir?: string): ResolvedPackage[] {
  const records = new Map<string, string>();
  const show = [...aptCacheOptions(cacheDir), 'show', '--no-all-versions', ...names];
  for (const record of tool('apt-cache', show).split(/\n\n+/)) {
    const name = field(record, 'Package');
    if (name && !records.has(name)) records.set(name, record);
  }
  return names.map((name) => {
    const record = records.get(name) ?? '';
    const version = field(record, 'Version');
    const sha256 = field(record, 'SHA256');
    if (!version || !sha256) {
      throw new StevedoreError(
        'INTERNAL',
        `apt knows no installable version of ${name}: run apt-get update (as root) and try again`,
      );
    }
    return { name, version, sha256, depends: field(record, 'Depends') ?? '' };
  });
}

/** The versioned image package a kernel metapackage depends on (linux-image-cloud-amd64 → linux-image-6.1.0-57-cloud-amd64). */
export function resolveKernelPackage(meta: ResolvedPackage, cacheDir?: string): ResolvedPackage {
  const image = /(linux-image-[0-9][^\s,(]*)/.exec(meta.depends)?.[1];
  if (!image) throw new StevedoreError('INTERNAL', `${meta.name} does not name a kernel image package`);
  return resolvePackages([image], cacheDir)[0]!;
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * The .deb of `pkg`, from `cacheDir/<sha256>.deb` when it is there and whole, else fetched with
 * `apt-get download name=version` (no root needed: apt writes into the working directory) and
 * checked against the digest apt's signed index gives.
 */
export function downloadPackage(pkg: ResolvedPackage, cacheDir: string): string {
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, `${pkg.sha256}.deb`);
  if (existsSync(path) && sha256File(path) === pkg.sha256) return path;
  const temp = mkdtempSync(join(cacheDir, '.download-'));
  try {
    tool('apt-get', ['download', '-q', `${pkg.name}=${pkg.version}`], { cwd: temp });
    const deb = readdirSync(temp).find((f) => f.endsWith('.deb'));
    if (!deb) throw new StevedoreError('INTERNAL', `apt-get download ${pkg.name} wrote no .deb`);
    const got = sha256File(join(temp, deb));
    if (got !== pkg.sha256)
      throw new StevedoreError(
        'INTERNAL',
        `${pkg.name} ${pkg.version}: the .deb's sha256 is ${got}, apt's index says ${pkg.sha256}`,
      );
    renameSync(join(temp, deb), path);
    return path;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Unpacks a .deb's files (not its scripts: nothing is configured) into `dir`. */
export function extractPackage(deb: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  tool('dpkg-deb', ['-x', deb, dir]);
}
