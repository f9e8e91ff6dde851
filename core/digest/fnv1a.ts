/**
 * FNV-1a, 32 bits, as 8 hex digits: a name for a file from a longer text, where node:crypto's
 * load would cost more than the hashing (the launcher: a tenth of node's own start-up). Not a
 * digest: two texts may share a name, so a file named this way also holds the text it stands for.
 */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
