import { spawnSync } from 'node:child_process';
import { StevedoreError } from '../core/errors.js';

/** The kernel's own LZ4 stream (`lz4 -l`, the legacy frame format the kernel's build writes). */
const LZ4_LEGACY_MAGIC = Buffer.from([0x02, 0x21, 0x4c, 0x18]);
/** ELF note type Xen defines for a 32-bit entry point: the kernel can be started directly in PVH mode. */
const XEN_ELFNOTE_PHYS32_ENTRY = 18;

/**
 * The uncompressed kernel (an ELF `vmlinux`) inside a Debian bzImage: QEMU boots such a kernel
 * through its PVH entry point (the kernel's `CONFIG_PVH`), without the bzImage's real-mode setup
 * and without unpacking it first, which under TCG took ~0.4 s of every boot. Apple's
 * Virtualization framework (vfkit) wants an uncompressed kernel too. The payload's place is read
 * from the boot protocol's header (`payload_offset`, `payload_length`, version 2.08 and later);
 * Debian's cloud kernel packs it with LZ4, which `lz4` (Debian `lz4`) unpacks.
 */
export function vmlinuxOf(bzImage: Buffer, lz4 = 'lz4'): Buffer {
  if (bzImage.toString('latin1', 0x202, 0x206) !== 'HdrS' || bzImage.readUInt16LE(0x206) < 0x208)
    throw new StevedoreError('INTERNAL', 'the kernel image is not a bzImage of boot protocol 2.08 or later');
  const setupSectors = bzImage[0x1f1] || 4;
  const start = (setupSectors + 1) * 512 + bzImage.readUInt32LE(0x248);
  const payload = bzImage.subarray(start, start + bzImage.readUInt32LE(0x24c));
  if (payload.length < 8 || !payload.subarray(0, 4).equals(LZ4_LEGACY_MAGIC))
    throw new StevedoreError(
      'INTERNAL',
      'the kernel image is not compressed with LZ4: its uncompressed form cannot be taken out',
    );
  // The kernel's build appends the uncompressed size (4 bytes, little-endian) to the stream.
  const size = payload.readUInt32LE(payload.length - 4);
  const r = spawnSync(lz4, ['-d', '-c'], { input: payload.subarray(0, -4), maxBuffer: 512 << 20 });
  if (r.error) throw new StevedoreError('INTERNAL', `lz4 could not run (${r.error.message}): install lz4`);
  const elf = r.stdout;
  if (r.status !== 0 || elf.length !== size || !hasPvhEntry(elf))
    throw new StevedoreError(
      'INTERNAL',
      `unpacking the kernel gave no ELF with a PVH entry point: ${r.stderr.toString().trim()}`,
    );
  return elf;
}

/** Whether an ELF64 (little-endian) has the PVH entry note among its PT_NOTE segments. */
export function hasPvhEntry(elf: Buffer): boolean {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) return false;
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  for (let i = 0; i < elf.readUInt16LE(0x38); i++) {
    const ph = phoff + i * phentsize;
    if (elf.readUInt32LE(ph) !== 4) continue; // PT_NOTE
    const offset = Number(elf.readBigUInt64LE(ph + 8));
    const end = offset + Number(elf.readBigUInt64LE(ph + 32));
    for (let at = offset; at + 12 <= end; ) {
      const nameSize = elf.readUInt32LE(at);
      const descSize = elf.readUInt32LE(at + 4);
      const type = elf.readUInt32LE(at + 8);
      const name = elf.toString('latin1', at + 12, at + 12 + nameSize).replace(/\0+$/, '');
      if (name === 'Xen' && type === XEN_ELFNOTE_PHYS32_ENTRY) return true;
      at += 12 + align4(nameSize) + align4(descSize);
    }
  }
  return false;
}

const align4 = (n: number) => (n + 3) & ~3;
