import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modulesDep, withoutSignature } from './kernelModules.js';

/** A module as Debian signs it: the ELF, the signature, struct module_signature, the marker. */
function signed(elf: Buffer, signature: Buffer): Buffer {
  const info = Buffer.alloc(12);
  info.writeUInt32BE(signature.length, 8);
  return Buffer.concat([elf, signature, info, Buffer.from('~Module signature appended~\n')]);
}

describe('the kernel modules of the initramfs', () => {
  it('drops the signature appended to a module, and leaves an unsigned one as it is', () => {
    const elf = Buffer.from('\x7fELF the module itself');
    assert.deepEqual(withoutSignature(signed(elf, Buffer.alloc(512, 7))), elf);
    assert.deepEqual(withoutSignature(elf), elf);
  });

  it('refuses a signature that claims more bytes than the module has', () => {
    const bytes = signed(Buffer.from('tiny'), Buffer.alloc(4));
    bytes.writeUInt32BE(1 << 20, bytes.length - 28 - 4);
    assert.throws(() => withoutSignature(bytes), /signature longer than itself/);
  });

  it("writes modprobe's modules.dep: each module with everything it needs, nearest first", () => {
    const dep = modulesDep([
      { name: 'libcrc32c', depends: [] },
      { name: 'nfnetlink', depends: [] },
      { name: 'nf_tables', depends: ['nfnetlink', 'libcrc32c'] },
      { name: 'nft_compat', depends: ['nf_tables', 'x_tables'] },
      { name: 'x_tables', depends: [] },
    ]);
    assert.equal(
      dep,
      [
        'libcrc32c.ko:',
        'nfnetlink.ko:',
        'nf_tables.ko: nfnetlink.ko libcrc32c.ko',
        'nft_compat.ko: nf_tables.ko nfnetlink.ko libcrc32c.ko x_tables.ko',
        'x_tables.ko:',
        '',
      ].join('\n'),
    );
  });
});
