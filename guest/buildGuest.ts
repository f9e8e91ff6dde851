import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StevedoreError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import {
  downloadPackage,
  extractPackage,
  type ResolvedPackage,
  resolveKernelPackage,
  resolvePackages,
} from './debianPackages.js';
import { isElf, neededLibraries } from './elf.js';
import { vmlinuxOf } from './kernelImage.js';
import { builtinModules, type KernelModule, moduleLoadOrder, modulesDep, withoutSignature } from './kernelModules.js';
import { type CpioEntry, newcArchive } from './newcCpio.js';
import { INITRAMFS_PACKAGES, KERNEL_MODULES, KERNEL_PACKAGE, ROOTFS_PACKAGES } from './packages.js';

/** Bumped when the artifacts' layout or meaning changes, so older caches are not taken for new. */
const FORMAT = 1;
const GUEST_DIR = dirname(fileURLToPath(import.meta.url));
const FILES = join(GUEST_DIR, 'files');

export interface Artifact {
  path: string;
  sha256: string;
  size: number;
}

export interface GuestManifest {
  format: number;
  agentVersion: string;
  /** sha256 of everything the build reads: a cache of the artifacts is valid while it matches. */
  inputKey: string;
  sourceDateEpoch: number;
  kernel: { package: string; version: string; release: string };
  node: { version: string; sha256: string; from: string };
  packages: { name: string; version: string; sha256: string }[];
  modules: string[];
  artifacts: { kernel: Artifact; initrd: Artifact; rootfs: Artifact };
}

export interface BuildOptions {
  /** Where the artifacts go (default: `<cacheDir>/image`). */
  outDir?: string;
  /** Downloaded .debs, kept between builds (default: `$XDG_CACHE_HOME/stevedore/guest`). */
  cacheDir?: string;
  /** The Node binary the guest runs (default: the one running this build). */
  nodeBinary?: string;
  /** Times in the artifacts (default: $SOURCE_DATE_EPOCH, else 0). */
  sourceDateEpoch?: number;
  log?: (line: string) => void;
}

export function defaultGuestCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'stevedore', 'guest');
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error)
    throw new StevedoreError('INTERNAL', `${command} could not run (${r.error.message}): install ${packageOf(command)}`);
  if (r.status !== 0) throw new StevedoreError('INTERNAL', `${command} failed: ${(r.stderr || r.stdout).trim()}`);
}

function packageOf(command: string): string {
  return command === 'mkfs.erofs' ? 'erofs-utils' : command.startsWith('dpkg') ? 'dpkg' : 'apt';
}

/** The build's own files (this folder), by name and digest: editing the init rebuilds the guest. */
function sourceDigests(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (lstatSync(path).isDirectory()) walk(path);
      else if (!name.endsWith('.test.ts')) out[relative(GUEST_DIR, path)] = sha256(readFileSync(path));
    }
  };
  walk(GUEST_DIR);
  return out;
}

function artifact(dir: string, name: string): Artifact {
  const bytes = readFileSync(join(dir, name));
  return { path: name, sha256: sha256(bytes), size: bytes.length };
}

/** The manifest in `outDir` if it was built from exactly these inputs and its artifacts are whole. */
export function cachedGuest(outDir: string, inputKey?: string): GuestManifest | undefined {
  const path = join(outDir, 'manifest.json');
  if (!existsSync(path)) return undefined;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as GuestManifest;
  if (manifest.format !== FORMAT || (inputKey && manifest.inputKey !== inputKey)) return undefined;
  for (const a of Object.values(manifest.artifacts)) {
    if (!existsSync(join(outDir, a.path)) || lstatSync(join(outDir, a.path)).size !== a.size) return undefined;
  }
  return manifest;
}

/** Builds (or finds already built) the guest's kernel, initramfs and root filesystem. */
export function buildGuest(options: BuildOptions = {}): { manifest: GuestManifest; outDir: string; cached: boolean } {
  const log = options.log ?? (() => {});
  const cacheDir = options.cacheDir ?? defaultGuestCacheDir();
  const outDir = options.outDir ?? join(cacheDir, 'image');
  const nodeBinary = options.nodeBinary ?? process.execPath;
  const epoch = options.sourceDateEpoch ?? Number.parseInt(process.env.SOURCE_DATE_EPOCH ?? '0', 10);
  if (!Number.isInteger(epoch) || epoch < 0)
    throw new StevedoreError('INTERNAL', `SOURCE_DATE_EPOCH must be a whole number of seconds, not ${epoch}`);

  const aptCache = join(cacheDir, 'apt');
  const names = [...new Set([...INITRAMFS_PACKAGES, ...ROOTFS_PACKAGES])].sort();
  const [kernelMeta, ...packages] = resolvePackages([KERNEL_PACKAGE, ...names], aptCache);
  const kernelPkg = resolveKernelPackage(kernelMeta!, aptCache);
  const nodeBytes = readFileSync(nodeBinary);
  const nodeVersion = spawnSync(nodeBinary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const node = { version: nodeVersion, sha256: sha256(nodeBytes), from: 'the host (the Node running the build)' };
  const pinned = (p: ResolvedPackage) => ({ name: p.name, version: p.version, sha256: p.sha256 });
  const inputKey = sha256(
    Buffer.from(
      JSON.stringify({
        FORMAT,
        VERSION,
        epoch,
        kernel: pinned(kernelPkg),
        packages: packages.map(pinned),
        node,
        modules: KERNEL_MODULES,
        sources: sourceDigests(),
      }),
    ),
  );
  const cached = cachedGuest(outDir, inputKey);
  if (cached) {
    log(`guest image up to date in ${outDir} (inputs ${inputKey.slice(0, 12)})`);
    return { manifest: cached, outDir, cached: true };
  }

  mkdirSync(outDir, { recursive: true });
  const work = join(outDir, `.build-${randomBytes(6).toString('hex')}`);
  try {
    const debs = join(cacheDir, 'debs');
    log(`downloading ${packages.length + 1} Debian packages into ${debs}`);
    const debOf = new Map<string, string>();
    for (const p of [kernelPkg, ...packages]) debOf.set(p.name, downloadPackage(p, debs));

    // The kernel and the modules the initramfs loads.
    const kernelTree = join(work, 'kernel');
    extractPackage(debOf.get(kernelPkg.name)!, kernelTree);
    const vmlinuz = readdirSync(join(kernelTree, 'boot')).find((f) => f.startsWith('vmlinuz-'));
    if (!vmlinuz) throw new StevedoreError('INTERNAL', `${kernelPkg.name} has no boot/vmlinuz-*`);
    const release = vmlinuz.slice('vmlinuz-'.length);
    const modulesDir = join(kernelTree, 'lib', 'modules', release);
    const builtin = builtinModules(readFileSync(join(modulesDir, 'modules.builtin'), 'utf8'));
    const modules = moduleLoadOrder(join(modulesDir, 'kernel'), KERNEL_MODULES, builtin);
    log(`kernel ${release}: ${modules.length} modules for the initramfs`);

    const stage = join(work, 'stage');
    mkdirSync(stage, { recursive: true });
    writeFileSync(join(stage, 'vmlinux'), vmlinuxOf(readFileSync(join(kernelTree, 'boot', vmlinuz))));
    writeFileSync(join(stage, 'initrd.img'), initramfs(debOf, work, modules, release, epoch));
    buildRootfs(debOf, work, join(stage, 'rootfs.erofs'), nodeBytes, epoch, inputKey, log);

    const manifest: GuestManifest = {
      format: FORMAT,
      agentVersion: VERSION,
      inputKey,
      sourceDateEpoch: epoch,
      kernel: { package: kernelPkg.name, version: kernelPkg.version, release },
      node,
      packages: [kernelPkg, ...packages].map(pinned),
      modules: modules.map((m) => m.name),
      artifacts: {
        kernel: artifact(stage, 'vmlinux'),
        initrd: artifact(stage, 'initrd.img'),
        rootfs: artifact(stage, 'rootfs.erofs'),
      },
    };
    // The manifest goes last: its presence says the artifacts beside it are whole.
    rmSync(join(outDir, 'manifest.json'), { force: true });
    for (const a of Object.values(manifest.artifacts)) renameSync(join(stage, a.path), join(outDir, a.path));
    writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return { manifest, outDir, cached: false };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function initramfs(debOf: Map<string, string>, work: string, modules: KernelModule[], release: string, epoch: number): Buffer {
  const busyboxTree = join(work, 'initramfs-busybox');
  extractPackage(debOf.get('busybox-static')!, busyboxTree);
  // Where busybox modprobe looks: /lib/modules/$(uname -r).
  const moduleDir = `lib/modules/${release}`;
  const entries: CpioEntry[] = [
    ...['bin', 'dev', 'etc', 'lib', 'lib/modules', moduleDir, 'proc', 'sys', 'sysroot'].map((path) => ({
      path,
      type: 'dir' as const,
      mode: 0o755,
    })),
    // The kernel opens /dev/console for init's output before anything can mount devtmpfs.
    { path: 'dev/console', type: 'chardev', mode: 0o600, major: 5, minor: 1 },
    { path: 'bin/busybox', type: 'file', mode: 0o755, data: readFileSync(join(busyboxTree, 'bin', 'busybox')) },
    { path: 'init', type: 'file', mode: 0o755, data: readFileSync(join(FILES, 'init')) },
    { path: 'etc/modules.order', type: 'file', mode: 0o644, data: Buffer.from(modules.map((m) => `${m.name}\n`).join('')) },
    { path: `${moduleDir}/modules.dep`, type: 'file', mode: 0o644, data: Buffer.from(modulesDep(modules)) },
    ...modules.map((m) => ({
      path: `${moduleDir}/${m.name}.ko`,
      type: 'file' as const,
      mode: 0o644,
      data: withoutSignature(readFileSync(m.path)),
    })),
  ];
  // Uncompressed: it is small (busybox and ~40 modules), the kernel skips a decompression that
  // costs time under TCG, and the bytes depend on no compressor's version.
  return newcArchive(entries, epoch);
}

/** Parts of the packages the guest never reads. */
const PRUNED = ['usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'usr/share/lintian', 'usr/share/bug'];

function buildRootfs(
  debOf: Map<string, string>,
  work: string,
  image: string,
  nodeBytes: Buffer,
  epoch: number,
  inputKey: string,
  log: (line: string) => void,
): void {
  const root = join(work, 'rootfs');
  for (const name of ROOTFS_PACKAGES) extractPackage(debOf.get(name)!, root);
  for (const path of PRUNED) rmSync(join(root, path), { recursive: true, force: true });

  const put = (path: string, data: Buffer | string, mode = 0o644): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), data);
    chmodSync(join(root, path), mode);
  };
  put('usr/bin/node', nodeBytes, 0o755);
  put('etc/inittab', readFileSync(join(FILES, 'inittab')));
  put('etc/stevedore/rc.sysinit', readFileSync(join(FILES, 'rc.sysinit')), 0o755);
  put('etc/stevedore/rc.shutdown', readFileSync(join(FILES, 'rc.shutdown')), 0o755);
  put('etc/stevedore/version', `${VERSION}\n`);
  put('etc/acpi/PWRF/00000080', readFileSync(join(FILES, 'power-button')), 0o755);
  put('usr/lib/stevedore/agent/seed.cjs', readFileSync(join(FILES, 'seed.cjs')));
  put('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n');
  put('etc/group', 'root:x:0:\n');
  put('etc/hostname', 'stevedore\n');
  for (const dir of ['proc', 'sys', 'dev', 'run', 'tmp', 'root', 'var/lib/stevedore', 'mnt/host'])
    mkdirSync(join(root, dir), { recursive: true });
  symlinkSync('../run', join(root, 'var/run'));
  // The root is read-only: the init writes the resolver QEMU's network names into /run.
  symlinkSync('../run/resolv.conf', join(root, 'etc/resolv.conf'));

  // busybox's applets as links to it, where no package put a real program.
  const busybox = join(root, 'bin', 'busybox');
  const applets = spawnSync(busybox, ['--list-full'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  if (applets.length < 50) throw new StevedoreError('INTERNAL', 'busybox --list-full listed no applets');
  for (const applet of applets) {
    const path = join(root, applet);
    if (lstatSync(path, { throwIfNoEntry: false })) continue;
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync('/bin/busybox', path);
  }

  checkLibraries(root, ['usr/bin/node', 'usr/bin/crun', 'usr/bin/conmon', 'bin/ip', 'usr/sbin/nft']);
  normalizeModes(root);
  const uuid = inputKey.slice(0, 32).replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5');
  log(`making ${basename(image)} (erofs, uncompressed)`);
  // --all-root: owned by root whoever builds; -T: one time for every file; -U: a UUID from the
  // inputs; -x -1: no extended attributes, which differ between a root and a normal build.
  // Uncompressed: Node's start reads most of its 99 MB binary, and under TCG decompressing the lz4
  // clusters it faults in cost the seed's start 1-2.5 s of a boot (measured: the seed started
  // 2.3-4.4 s after the system was up with lz4hc, 1.5-2.1 s without). The image stays gzipped in
  // the store and on the wire (guestImagePack.ts), so only the machine's own copy is larger.
  run('mkfs.erofs', ['--quiet', `-T${epoch}`, `-U${uuid}`, '--all-root', '-x-1', image, root]);
}

/** Every library the programs load, found in the root's library directories, or the build stops. */
function checkLibraries(root: string, programs: string[]): void {
  const dirs = ['lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu', 'lib64', 'lib', 'usr/lib'];
  const find = (soname: string): string | undefined => dirs.map((d) => join(root, d, soname)).find((p) => existsSync(p));
  const seen = new Set<string>();
  const queue = programs.map((p) => ({ path: join(root, p), from: p }));
  while (queue.length > 0) {
    const { path, from } = queue.shift()!;
    const bytes = readFileSync(path);
    if (!isElf(bytes)) continue;
    for (const soname of neededLibraries(bytes)) {
      if (seen.has(soname)) continue;
      const lib = find(soname);
      if (!lib)
        throw new StevedoreError(
          'INTERNAL',
          `${from} needs ${soname}, which none of the guest's packages provides (add it to guest/packages.ts)`,
        );
      seen.add(soname);
      queue.push({ path: lib, from: `${from} → ${soname}` });
    }
  }
}

/**
 * The same modes whoever builds: tar as root keeps the package's modes, as a user it applies the
 * umask and drops setuid bits. Everything in the guest runs as root, so no setuid is needed.
 */
function normalizeModes(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) {
      chmodSync(path, 0o755);
      normalizeModes(path);
    } else {
      chmodSync(path, st.mode & 0o111 ? 0o755 : 0o644);
    }
  }
}
