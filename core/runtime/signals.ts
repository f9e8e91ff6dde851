import { constants } from 'node:os';
import { StevedoreError } from '../errors.js';

const byNumber = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** `TERM`, `SIGTERM` or `15` → `SIGTERM`; anything else is refused in one sentence. */
export function parseSignal(text: string): string {
  const upper = text.trim().toUpperCase();
  if (/^\d+$/.test(upper)) {
    const name = byNumber.get(Number(upper));
    if (name) return name;
  } else {
    const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
    if (Object.hasOwn(constants.signals, name)) return name;
  }
  throw new StevedoreError('INVALID_ARGUMENT', `invalid signal "${text}"`);
}
