/*
 * The Run dialog's fields, checked as they are typed, in the CLI's own syntax (-p, -e, -v, --name)
 * that containers.run takes. Ports and volumes go through the engine's parsers, trimmed as the
 * rows are sent (rowValues); the engine still has the last word on submit. Each check returns a
 * sentence for people, or null when the text is fine.
 */

import { parsePortSpec } from '../../../../core/api/portSpec';
import { parseVolumeSpec } from '../../../../core/api/volumeSpec';
import { sentence } from '../../components/useSubmit';

/**
 * `-p [IP:][HOST:]CONTAINER[/tcp|/udp]`, read by the engine's own parser (core/api/portSpec.ts):
 * its refusal is the sentence the CLI prints.
 */
export function checkPort(text: string): string | null {
  const parsed = parsePortSpec(text.trim());
  return parsed.ok ? null : sentence(parsed.message);
}

/** `-e KEY=VALUE`: a name without blanks before the first “=”; the value may be empty. */
export function checkEnv(text: string): string | null {
  const at = text.indexOf('=');
  if (at < 0) return 'Write KEY=VALUE.';
  const key = text.slice(0, at);
  if (key === '') return 'The name before “=” is missing.';
  if (/\s/.test(key)) return `“${key}” has blanks: a variable name has none.`;
  return null;
}

/** `-v HOST:CONTAINER[:ro|rw]`, read by the engine's own parser (core/api/volumeSpec.ts). */
export function checkVolume(text: string): string | null {
  const parsed = parseVolumeSpec(text.trim());
  return parsed.ok ? null : sentence(parsed.message);
}

/** docker's rule for `--name`: a letter or digit, then letters, digits, _ . or -. */
export function checkContainerName(text: string): string | null {
  if (text === '') return null;
  if (/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(text)) return null;
  return text.length === 1
    ? 'A name has at least two characters.'
    : 'A name starts with a letter or digit, then letters, digits, _ . or -.';
}
