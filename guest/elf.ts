import { readFileSync } from 'node:fs';
import { StevedoreError } from '../core/errors.js';

/**
 * Just enough of ELF64 little-endian (the System V gABI) to read what the guest build needs from
 * the files it packs: a kernel module's `.modinfo` (its `depends=`), a program's `DT_NEEDED`
 * libraries and the kernel's notes (its PVH entry point). The host may have neither kmod's modinfo nor binutils, and the build runs as anyone.
 */
interface Section {
  name: string;
  type: number;
  offset: number;
  size: number;
  link: number;
}

const SHT_DYNAMIC = 6;
const DT_NULL = 0n;
const DT_NEEDED = 1n;

export function isElf(bytes: Buffer): boolean {
  return bytes.length > 64 && bytes.readUInt32BE(0) === 0x7f454c46;
}

function checkElf64(bytes: Buffer): void {
  if (!isElf(bytes) || bytes[4] !== 2 || bytes[5] !== 1)
    throw new StevedoreError('INTERNAL', 'not a 64-bit little-endian ELF file');
}

function sections(bytes: Buffer): Section[] {
  checkElf64(bytes);
  const shoff = Number(bytes.readBigUInt64LE(0x28));
  const shentsize = bytes.readUInt16LE(0x3a);
  const shnum = bytes.readUInt16LE(0x3c);
  const shstrndx = bytes.readUInt16LE(0x3e);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    raw.push({
      nameOffset: bytes.readUInt32LE(at),
      type: bytes.readUInt32LE(at + 4),
      offset: Number(bytes.readBigUInt64LE(at + 0x18)),
      size: Number(bytes.readBigUInt64LE(at + 0x20)),
      link: bytes.readUInt32LE(at + 0x28),
    });
  }
  const names = raw[shstrndx];
  return raw.map((s) => ({
    name: names ? cString(bytes, names.offset + s.nameOffset) : '',
    type: s.type,
    offset: s.offset,
    size: s.size,
    link: s.link,
  }));
}

function cString(bytes: Buffer, at: number): string {
  const end = bytes.indexOf(0, at);
  return bytes.toString('latin1', at, end < 0 ? bytes.length : end);
}

/** The `key=value` strings of a kernel module's `.modinfo` section. */
export function moduleInfo(path: string): Map<string, string[]> {
  const bytes = readFileSync(path);
  const section = sections(bytes).find((s) => s.name === '.modinfo');
  const info = new Map<string, string[]>();
  if (!section) return info;
  for (const entry of bytes.toString('latin1', section.offset, section.offset + section.size).split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    info.set(key, [...(info.get(key) ?? []), entry.slice(eq + 1)]);
  }
  return info;
}

/** The sonames a dynamically linked program or library asks the loader for (`DT_NEEDED`). */
export function neededLibraries(bytes: Buffer): string[] {
  const all = sections(bytes);
  const dynamic = all.find((s) => s.type === SHT_DYNAMIC);
  if (!dynamic) return [];
  const strtab = all[dynamic.link];
  if (!strtab) return [];
  const needed: string[] = [];
  for (let at = dynamic.offset; at + 16 <= dynamic.offset + dynamic.size; at += 16) {
    const tag = bytes.readBigInt64LE(at);
    if (tag === DT_NULL) break;
    if (tag === DT_NEEDED) needed.push(cString(bytes, strtab.offset + Number(bytes.readBigUInt64LE(at + 8))));
  }
  return needed;
}

const PT_NOTE = 4;
const align4 = (n: number) => (n + 3) & ~3;

/** The notes of an ELF's `PT_NOTE` segments, by owner name and type. */
export function elfNotes(bytes: Buffer): { name: string; type: number }[] {
  checkElf64(bytes);
  const phoff = Number(bytes.readBigUInt64LE(0x20));
  const phentsize = bytes.readUInt16LE(0x36);
  const notes: { name: string; type: number }[] = [];
  for (let i = 0; i < bytes.readUInt16LE(0x38); i++) {
    const ph = phoff + i * phentsize;
    if (bytes.readUInt32LE(ph) !== PT_NOTE) continue;
    const offset = Number(bytes.readBigUInt64LE(ph + 8));
    const end = offset + Number(bytes.readBigUInt64LE(ph + 32));
    for (let at = offset; at + 12 <= end; ) {
      const nameSize = bytes.readUInt32LE(at);
      const descSize = bytes.readUInt32LE(at + 4);
      notes.push({
        name: bytes.toString('latin1', at + 12, at + 12 + nameSize).replace(/\0+$/, ''),
        type: bytes.readUInt32LE(at + 8),
      });
      at += 12 + align4(nameSize) + align4(descSize);
    }
  }
  return notes;
}
