/*
 * The Run dialog's fields, checked as they are typed, in the CLI's own syntax (-p, -e, -v, --name)
 * that containers.run takes. Ports and volumes go through the engine's parsers, trimmed as the
 * rows are sent (rowValues); the engine still has the last word on submit. Each check returns a
 * sentence for people, or null when the text is fine.
 */

import { parsePortSpec } from '../../../../core/api/portSpec';
import { checkResources } from '../../../../core/api/resourceSpec';
import { parseRestartPolicy } from '../../../../core/api/restartPolicy';
import { routeVolumeFlag } from '../../../../core/api/volumeFlag';
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

/** The dialog has no working directory: `./dir` (which the CLI resolves against its own) means nothing here. */
const NO_CWD = '/';

/**
 * `-v` as the CLI reads it (core/api/volumeFlag.ts): `HOST:CONTAINER[:ro]` binds a full host path,
 * `NAME:CONTAINER[:ro]` a named volume (made on first use), `/path` an anonymous one.
 */
export function checkVolume(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('.')) return 'Type the host folder’s full path, starting with /: it is on the engine’s machine.';
  const routed = routeVolumeFlag(trimmed, NO_CWD);
  return routed.ok ? null : sentence(routed.message);
}

/** The rows of -v as a RunRequest carries them: binds in `volumes`, the engine's volumes in `mounts`. */
export function routeVolumes(texts: readonly string[]): { volumes: string[]; mounts: string[] } {
  const out = { volumes: [] as string[], mounts: [] as string[] };
  for (const text of texts) {
    const routed = routeVolumeFlag(text.trim(), NO_CWD);
    if (routed.ok) out[routed.field].push(routed.text);
  }
  return out;
}

/**
 * `--restart`: the policy chosen (and on-failure's retries), as docker's parser reads it
 * (core/api/restartPolicy.ts); `--rm` with a policy is refused as the engine refuses it.
 */
export function checkRestart(
  name: string,
  retries: string,
  autoRemove: boolean,
): { restart: string | undefined; problem: string | null } {
  if (name === 'no') return { restart: undefined, problem: null };
  const text = name === 'on-failure' && retries.trim() !== '' ? `${name}:${retries.trim()}` : name;
  const parsed = parseRestartPolicy(text);
  if (!parsed.ok) return { restart: undefined, problem: sentence(parsed.message) };
  if (autoRemove) return { restart: text, problem: 'Conflicting options: --restart and --rm.' };
  return { restart: text, problem: null };
}

/** docker's rule for `--name`: a letter or digit, then letters, digits, _ . or -. */
export function checkContainerName(text: string): string | null {
  if (text === '') return null;
  if (/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(text)) return null;
  return text.length === 1
    ? 'A name has at least two characters.'
    : 'A name starts with a letter or digit, then letters, digits, _ . or -.';
}

/**
 * `--env-file`: a file on the engine's machine, which reads it when the container is made
 * (core/runtime/envFiles.ts); its full path, since the dialog has no working directory.
 */
export function checkEnvFile(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('/')) return null;
  return 'Type the file’s full path, starting with /: it is on the engine’s machine.';
}

/** `-u USER[:GROUP]`: a name or ID, a group after one colon; the image's /etc/passwd is read when it starts. */
export function checkUser(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '' || /^[^\s:]+(:[^\s:]+)?$/.test(trimmed)) return null;
  return 'Write a user name or ID, optionally :group, without blanks.';
}

/** `-w DIR`: refused when relative, in the engine's words (core/runtime/imageProcess.ts); made when missing. */
export function checkWorkdir(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('/')) return null;
  return sentence(`the working directory must be absolute, got "${trimmed}"`);
}

/** `-l KEY=VALUE`; a bare KEY is an empty value, as the CLI reads it. A label needs a name. */
export function checkLabel(text: string): string | null {
  const trimmed = text.trim();
  const at = trimmed.indexOf('=');
  return (at < 0 ? trimmed : trimmed.slice(0, at)) === '' ? 'The name before “=” is missing.' : null;
}

/** The label rows as RunRequest carries them (the CLI's readLabels: the last of a name wins); undefined when none. */
export function labelsOf(texts: readonly string[]): Record<string, string> | undefined {
  if (texts.length === 0) return undefined;
  return Object.fromEntries(
    texts.map((text) => {
      const at = text.indexOf('=');
      return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
    }),
  );
}

/**
 * `--memory` and `--cpus` as typed (empty: no limit), checked by the engine's own rules
 * (core/api/resourceSpec.ts); the engine's CPU count is its to check on submit.
 */
export function checkLimits(
  memory: string,
  cpus: string,
): { resources: { memory?: string; cpus?: string } | undefined; memoryProblem: string | null; cpusProblem: string | null } {
  const asked = {
    ...(memory.trim() !== '' ? { memory: memory.trim() } : {}),
    ...(cpus.trim() !== '' ? { cpus: cpus.trim() } : {}),
  };
  const memoryProblem = asked.memory === undefined ? null : checkResources({ memory: asked.memory });
  const cpusProblem = asked.cpus === undefined ? null : checkResources({ cpus: asked.cpus });
  return {
    resources: Object.keys(asked).length > 0 ? asked : undefined,
    memoryProblem: memoryProblem && sentence(memoryProblem),
    cpusProblem: cpusProblem && sentence(cpusProblem),
  };
}
