import { StevedoreError } from '../errors.js';

/** docker's default detach sequence: Ctrl-P then Ctrl-Q. */
export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/**
 * docker's `--detach-keys` format: keys separated by commas, each a single character or `ctrl-X`
 * where X is a letter or one of `@ [ \ ] ^ _` (the ASCII control codes 0 to 31).
 */
export function parseDetachKeys(spec: string): Buffer {
  const codes = spec.split(',').map((key) => {
    if (key.length === 1) return key.charCodeAt(0);
    const ctrl = /^ctrl-(.)$/i.exec(key);
    const ch = ctrl?.[1]?.toLowerCase();
    if (ch !== undefined && ch >= 'a' && ch <= 'z') return ch.charCodeAt(0) - 96;
    // `@` is 0, `[ \ ] ^ _` are 27 to 31.
    const other = ch === undefined ? -1 : '@[\\]^_'.indexOf(ch);
    if (other === 0) return 0;
    if (other > 0) return 26 + other;
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `invalid detach keys "${spec}": use keys like ctrl-p,ctrl-q (a character or ctrl-<letter>, comma-separated)`,
    );
  });
  return Buffer.from(codes);
}

/**
 * Watches input for the detach sequence, as docker's attach does: the bytes that may begin it are
 * held back until they do or do not, and handed on unchanged when they turn out not to.
 */
export class DetachKeyScanner {
  private held = 0;

  constructor(private readonly keys: Buffer) {}

  /** What to pass on from `chunk`, and whether the sequence was typed (what follows it is dropped). */
  feed(chunk: Buffer): { forward: Buffer; detached: boolean } {
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.held]) {
        this.held += 1;
        if (this.held === this.keys.length) return { forward: Buffer.from(out), detached: true };
        continue;
      }
      // Not the sequence after all: what was held goes through, then this byte may start it again.
      out.push(...this.keys.subarray(0, this.held));
      this.held = byte === this.keys[0] ? 1 : 0;
      if (this.held === 0) out.push(byte);
    }
    return { forward: Buffer.from(out), detached: false };
  }
}
