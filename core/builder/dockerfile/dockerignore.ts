/**
 * .dockerignore, as Docker reads it: `<Dockerfile>.dockerignore` beside the Dockerfile first,
 * else `.dockerignore` at the root of the context; one pattern a line, `#` comments, `!`
 * exceptions, the last matching pattern wins, and a path is excluded when it or one of its
 * parent directories is. An exception can re-include a file inside an excluded directory.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { cleanPath } from '../../text/cleanPath.js';
import { dockerfileProblem } from './dockerfileError.js';
import { compileIgnorePattern, type IgnorePattern, IgnorePatternError } from './ignorePattern.js';

export interface IgnoreMatcher {
  /**
   * Whether the path (relative to the context, `/`-separated) is left out of the context.
   * For a directory this is about the directory entry itself: it can still be needed as the
   * parent of a file an exception re-includes (see walkInto).
   */
  ignores(relativePath: string): boolean;
  /** Whether a walker must look inside this directory (false: it and all below are excluded). */
  walkInto(relativeDir: string): boolean;
}

/** The patterns of a .dockerignore file's text, normalized as Docker normalizes them. */
export function parseDockerignore(text: string): string[] {
  const patterns: string[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (raw.startsWith('#')) continue;
    let pattern = raw.trim();
    if (pattern === '') continue;
    const exclusion = pattern.startsWith('!');
    if (exclusion) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(exclusion ? `!${pattern}` : pattern);
  }
  return patterns;
}

export function matcher(patterns: readonly string[]): IgnoreMatcher {
  const compiled: IgnorePattern[] = [];
  for (const text of patterns) {
    try {
      const pattern = compileIgnorePattern(text);
      if (pattern) compiled.push(pattern);
    } catch (err) {
      if (err instanceof IgnorePatternError) throw dockerfileProblem(`.dockerignore: ${err.message}`);
      throw err;
    }
  }
  const hasExceptions = compiled.some((p) => p.exclusion);

  const ignores = (relativePath: string): boolean => {
    const path = cleanPath(relativePath).replace(/^\/+/, '');
    if (path === '.' || path === '') return false;
    const parents = path.split('/').slice(0, -1);
    let matched = false;
    for (const pattern of compiled) {
      if (pattern.exclusion !== matched) continue;
      let hit = pattern.matches(path);
      for (let i = 1; !hit && i <= parents.length; i++) hit = pattern.matches(parents.slice(0, i).join('/'));
      if (hit) matched = !pattern.exclusion;
    }
    return matched;
  };

  return {
    ignores,
    walkInto: (relativeDir) => {
      if (!ignores(relativeDir)) return true;
      if (!hasExceptions) return false;
      const dir = cleanPath(relativeDir).replace(/^\/+/, '');
      return compiled.some((p) => p.exclusion && p.couldMatchBelow(dir));
    },
  };
}

/** Where the ignore file for a Dockerfile is looked for, in order. */
export function dockerignoreCandidates(contextDir: string, dockerfile = 'Dockerfile'): string[] {
  const path = isAbsolute(dockerfile) ? dockerfile : join(contextDir, dockerfile);
  return [join(dirname(path), `${basename(path)}.dockerignore`), join(contextDir, '.dockerignore')];
}

/** The patterns of the first ignore file that exists (none: no patterns). */
export function readDockerignore(
  contextDir: string,
  dockerfile = 'Dockerfile',
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): string[] {
  for (const path of dockerignoreCandidates(contextDir, dockerfile)) {
    let text: string;
    try {
      text = readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    return parseDockerignore(text);
  }
  return [];
}
