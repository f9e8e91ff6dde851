/*
 * The New build form's fields, checked as they are typed, and the request they make. The engine
 * checks again when the build runs; its answer is the one that counts.
 */
import type { BuildDetail, BuildRequestArgs } from '../../../../core/api/builds.schema';
import { checkReference } from '../pull/referenceCheck';

const isAbsolute = (path: string) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);

/** The context folder: a full path, since the engine's working directory means nothing in this window. */
export function checkContextDir(text: string): string | null {
  const path = text.trim();
  if (path === '') return 'Type the folder’s full path, such as /home/me/app.';
  if (!isAbsolute(path)) return 'Type the full path, starting with /: the folder is on the engine’s machine.';
  return null;
}

/** A tag for the built image: a name as Pull reads it, but never a digest (that is what a build makes). */
export function checkBuildTag(text: string): string | null {
  const check = checkReference(text);
  if (!check.ok) return check.problem;
  if (check.reference.digest !== undefined) return 'A tag names the image; its digest is what the build makes. Drop the @….';
  return null;
}

/** `--build-arg NAME=value`; the engine's environment is not this window's, so a bare NAME is not taken from it. */
export function checkBuildArg(text: string): string | null {
  const at = text.indexOf('=');
  if (at < 0) return 'Write NAME=value.';
  const name = text.slice(0, at).trim();
  if (name === '') return 'The name before “=” is missing.';
  if (/\s/.test(name)) return `“${name}” has blanks: an argument name has none.`;
  return null;
}

/**
 * A secret for `RUN --mount=type=secret,id=ID`: `ID=/full/path` of a file on the engine's machine,
 * which the engine reads when the build starts (the value never passes through this window).
 */
export function checkBuildSecret(text: string): string | null {
  const at = text.indexOf('=');
  if (at < 0) return 'Write ID=/full/path/of/the/file.';
  const id = text.slice(0, at).trim();
  if (id === '') return 'The id before “=” is missing.';
  if (/\s/.test(id)) return `“${id}” has blanks: a secret id has none.`;
  if (!isAbsolute(text.slice(at + 1).trim())) return 'Type the file’s full path, starting with /: it is on the engine’s machine.';
  return null;
}

/** The Dockerfile the build will read, for the field's hint: the engine resolves it from the context the same way. */
export function dockerfilePath(contextDir: string, dockerfile: string): string {
  const context = contextDir.trim().replace(/[\\/]+$/, '');
  const file = dockerfile.trim();
  if (file === '') return `${context}/Dockerfile`;
  if (isAbsolute(file)) return file;
  return `${context}/${file.replace(/^\.\//, '')}`;
}

export interface BuildForm {
  contextDir: string;
  dockerfile: string;
  tags: string[];
  buildArgs: string[];
  target: string;
  noCache: boolean;
  /** `ID=/path` rows (checkBuildSecret). */
  secrets?: string[];
}

/** The request the form makes; empty optional fields are left out, so the engine's defaults apply. */
export function buildRequestFrom(form: BuildForm): BuildRequestArgs {
  const buildArgs: Record<string, string> = {};
  for (const pair of form.buildArgs) {
    const at = pair.indexOf('=');
    buildArgs[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  const secretFiles: Record<string, string> = {};
  for (const pair of form.secrets ?? []) {
    const at = pair.indexOf('=');
    secretFiles[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  const dockerfile = form.dockerfile.trim();
  const target = form.target.trim();
  return {
    contextDir: form.contextDir.trim(),
    ...(dockerfile !== '' ? { dockerfile } : {}),
    ...(form.tags.length > 0 ? { tags: form.tags.map((t) => t.trim()) } : {}),
    ...(Object.keys(buildArgs).length > 0 ? { buildArgs } : {}),
    ...(target !== '' ? { target } : {}),
    ...(form.noCache ? { noCache: true } : {}),
    ...(Object.keys(secretFiles).length > 0 ? { secretFiles } : {}),
  };
}

/**
 * A past build's request, to build it again: the engine kept the Dockerfile's full path, which
 * the form shows relative to the context when it is inside it (and not at all when it is the default).
 */
export function requestOf(build: Pick<BuildDetail, 'contextDir' | 'dockerfile' | 'tags' | 'buildArgs' | 'target' | 'noCache'>) {
  const context = build.contextDir.replace(/[\\/]+$/, '');
  const inside = build.dockerfile.startsWith(`${context}/`) ? build.dockerfile.slice(context.length + 1) : build.dockerfile;
  return {
    contextDir: build.contextDir,
    ...(inside !== 'Dockerfile' ? { dockerfile: inside } : {}),
    tags: build.tags,
    buildArgs: build.buildArgs,
    ...(build.target !== null ? { target: build.target } : {}),
    noCache: build.noCache,
  } satisfies Partial<BuildRequestArgs>;
}
