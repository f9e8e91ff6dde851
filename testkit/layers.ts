import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pack as tarPack } from 'tar-stream';

/** One entry of a crafted layer. Content is a string or bytes; links name their target. */
export interface LayerEntry {
  path: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';
  content?: string | Buffer;
  linkname?: string;
  devmajor?: number;
  /** PAX records, e.g. `SCHILY.xattr.user.x` for an extended attribute. */
  pax?: Record<string, string>;
  devminor?: number;
  mode?: number;
  uid?: number;
  gid?: number;
}

const FIXED_MTIME = new Date('2024-01-01T00:00:00Z');

/** An uncompressed layer tar, byte-for-byte the same for the same entries. */
export async function makeLayer(entries: LayerEntry[]): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = {
      name: e.path,
      type,
      mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      mtime: FIXED_MTIME,
      ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
      ...(e.devmajor !== undefined ? { devmajor: e.devmajor, devminor: e.devminor ?? 0 } : {}),
      ...(e.pax ? { pax: e.pax } : {}),
    };
    if (type === 'file') pack.entry(header, e.content ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/** A one-file userland: Debian's static busybox, with the applets a test needs as symlinks. */
export async function busyboxLayer(applets: string[] = ['sh', 'echo', 'cat', 'ls', 'true']): Promise<Buffer> {
  const busybox = readFileSync('/bin/busybox');
  return makeLayer([
    { path: 'bin/', type: 'directory' },
    { path: 'bin/busybox', content: busybox, mode: 0o755 },
    ...applets.map((a) => ({ path: `bin/${a}`, type: 'symlink' as const, linkname: 'busybox' })),
  ]);
}

/** A layer holding one file of random bytes: incompressible, like real binaries at their worst. */
export async function randomLayer(bytes: number, name = 'data.bin'): Promise<Buffer> {
  return makeLayer([{ path: name, content: randomBytes(bytes) }]);
}
