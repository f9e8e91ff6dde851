import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { hasPvhEntry, vmlinuxOf } from './kernelImage.js';

/** A minimal ELF64 with one PT_NOTE segment holding a `Xen` note of `type`. */
function elfWithNote(type: number): Buffer {
  const note = Buffer.alloc(12 + 4 + 8);
  note.writeUInt32LE(4, 0); // "Xen\0"
  note.writeUInt32LE(8, 4);
  note.writeUInt32LE(type, 8);
  note.write('Xen\0', 12, 'latin1');
  const elf = Buffer.alloc(64 + 56 + note.length);
  elf.writeUInt32BE(0x7f454c46, 0);
  elf[4] = 2; // 64-bit
  elf[5] = 1; // little-endian
  elf.writeBigUInt64LE(64n, 0x20); // e_phoff
  elf.writeUInt16LE(56, 0x36); // e_phentsize
  elf.writeUInt16LE(1, 0x38); // e_phnum
  elf.writeUInt32LE(4, 64); // PT_NOTE
  elf.writeBigUInt64LE(BigInt(64 + 56), 64 + 8); // p_offset
  elf.writeBigUInt64LE(BigInt(note.length), 64 + 32); // p_filesz
  note.copy(elf, 64 + 56);
  return elf;
}

/** A bzImage as the kernel's build lays one out: setup sectors, then the payload and its size. */
function bzImage(compressed: Buffer, size: number): Buffer {
  const setupSectors = 2;
  const payload = Buffer.concat([compressed, Buffer.alloc(4)]);
  payload.writeUInt32LE(size, compressed.length);
  const image = Buffer.alloc((setupSectors + 1) * 512 + 100 + payload.length);
  image[0x1f1] = setupSectors;
  image.write('HdrS', 0x202, 'latin1');
  image.writeUInt16LE(0x20f, 0x206);
  image.writeUInt32LE(100, 0x248);
  image.writeUInt32LE(payload.length, 0x24c);
  payload.copy(image, (setupSectors + 1) * 512 + 100);
  return image;
}

const lz4Legacy = (data: Buffer) => spawnSync('lz4', ['-l', '-c'], { input: data }).stdout;
const noLz4 = spawnSync('lz4', ['--version']).error ? 'lz4 is not installed' : false;

describe('the guest kernel, uncompressed for a PVH boot', { skip: noLz4 }, () => {
  it('takes the ELF out of an LZ4 bzImage, and knows its PVH entry note', () => {
    const elf = elfWithNote(18);
    assert.ok(hasPvhEntry(elf));
    assert.ok(!hasPvhEntry(elfWithNote(17)));
    assert.deepEqual(vmlinuxOf(bzImage(lz4Legacy(elf), elf.length)), elf);
  });

  it('refuses a kernel it cannot boot that way: another compressor, no PVH entry, a wrong size', () => {
    const elf = elfWithNote(18);
    assert.throws(() => vmlinuxOf(bzImage(gzipSync(elf), elf.length)), /not compressed with LZ4/);
    assert.throws(() => vmlinuxOf(bzImage(lz4Legacy(elfWithNote(17)), elf.length)), /no ELF with a PVH entry/);
    assert.throws(() => vmlinuxOf(bzImage(lz4Legacy(elf), elf.length + 1)), /no ELF with a PVH entry/);
    assert.throws(() => vmlinuxOf(Buffer.alloc(4096)), /not a bzImage/);
  });
});
