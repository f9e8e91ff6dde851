import type { FileChange } from '../../../../core/api/layers.schema';

const typeLetter: Record<FileChange['type'], string> = { file: '-', dir: 'd', symlink: 'l', hardlink: '-', other: '?' };

/** `drwxr-xr-x`, as `ls -l` prints it, with setuid, setgid and sticky as s/S and t/T. */
export function modeString(type: FileChange['type'], mode: number): string {
  const bits = [...'rwxrwxrwx'].map((c, i) => (mode & (1 << (8 - i)) ? c : '-'));
  const special = (bit: number, at: number, letter: string) => {
    if (mode & bit) bits[at] = bits[at] === 'x' ? letter : letter.toUpperCase();
  };
  special(0o4000, 2, 's');
  special(0o2000, 5, 's');
  special(0o1000, 8, 't');
  return typeLetter[type] + bits.join('');
}
