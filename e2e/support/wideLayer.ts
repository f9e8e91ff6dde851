/**
 * A tar of many empty files, written directly: testkit's makeLayer (tar-stream) spends about
 * 50 µs an entry, which is 5 s for the 100,000 entries a fluidity test wants. ustar headers only
 * (POSIX.1-1988): every name here is short, regular, and owned by root.
 */
function header(name: string, type: 'file' | 'dir'): Buffer {
  const h = Buffer.alloc(512);
  const put = (text: string, at: number, length: number) => h.write(text, at, length, 'ascii');
  const octal = (n: number, at: number, length: number) => put(`${n.toString(8).padStart(length - 1, '0')}\0`, at, length);
  put(name, 0, 100);
  octal(type === 'dir' ? 0o755 : 0o644, 100, 8);
  octal(0, 108, 8); // uid
  octal(0, 116, 8); // gid
  octal(0, 124, 12); // size: empty files
  octal(Date.UTC(2024, 0, 1) / 1000, 136, 12);
  put(type === 'dir' ? '5' : '0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  // The checksum is taken with its own field as eight spaces.
  put('        ', 148, 8);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** `dirs` directories under data/, each with `filesPerDir` empty files: dirs × (files + 1) + 1 entries. */
export function wideLayer(dirs: number, filesPerDir: number): Buffer {
  const blocks: Buffer[] = [header('data/', 'dir')];
  for (let d = 0; d < dirs; d++) {
    blocks.push(header(`data/d${d}/`, 'dir'));
    for (let f = 0; f < filesPerDir; f++) blocks.push(header(`data/d${d}/f${f}.txt`, 'file'));
  }
  blocks.push(Buffer.alloc(1024)); // two zero blocks end the archive
  return Buffer.concat(blocks);
}
