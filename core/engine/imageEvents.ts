import { familiarReference, parseReference } from '../oci/reference.js';
import { recordEvent } from '../store/eventJournal.js';

/** An image event in the store's journal (`stevedore events`), named as docker names them. */
export function recordImageEvent(root: string, action: string, id: string, name?: string): void {
  const shown = (ref: string) => {
    if (ref.startsWith('sha256:')) return ref;
    try {
      return familiarReference(parseReference(ref));
    } catch {
      return ref;
    }
  };
  recordEvent(root, {
    Type: 'image',
    Action: action,
    id: shown(id),
    ...(name ? { attributes: { name: shown(name) } } : {}),
  });
}
