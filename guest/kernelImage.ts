import { spawnSync } from 'node:child_process';
import { StevedoreError } from '../core/errors.js';
import { elfNotes } from './elf.js';

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

/** Whether an ELF kernel has the PVH entry note (QEMU can start it directly). */
export function hasPvhEntry(elf: Buffer): boolean {
  try {
    return elfNotes(elf).some((note) => note.name === 'Xen' && note.type === XEN_ELFNOTE_PHYS32_ENTRY);
  } catch {
    return false; // not a 64-bit little-endian ELF
  }
}
