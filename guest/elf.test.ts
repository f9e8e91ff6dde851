import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isElf, neededLibraries } from './elf.js';

describe('ELF reading', () => {
  it('lists the libraries the running Node binary asks the loader for, libc among them', () => {
    const node = readFileSync(process.execPath);
    assert.ok(isElf(node));
    const needed = neededLibraries(node);
    assert.ok(needed.includes('libc.so.6'), needed.join(' '));
    for (const soname of needed) assert.match(soname, /^[\w+.-]+\.so(\.\d+)*$/);
  });

  it('does not take a script for a program', () => {
    assert.equal(isElf(Buffer.from('#!/bin/sh\n'.padEnd(100, ' '))), false);
  });
});
