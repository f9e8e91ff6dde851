/**
 * One .dockerignore pattern, matched the way Docker's patternmatcher matches it: `*` and `?`
 * never cross a `/`, `**` crosses any number of directories, `[...]` is a character class,
 * `\` escapes. A pattern names a path exactly; what lies below a matched directory is matched
 * by the caller through the parent directories.
 */
import { cleanPath } from '../../text/cleanPath.js';

export interface IgnorePattern {
  /** The cleaned pattern, without its `!`. */
  text: string;
  /** A `!` pattern: it re-includes what it matches. */
  exclusion: boolean;
  matches(path: string): boolean;
  /** Whether something below `dir` could match (used to decide whether to walk into it). */
  couldMatchBelow(dir: string): boolean;
}

export class IgnorePatternError extends Error {
  override name = 'IgnorePatternError';
}

const regexSpecial = /[.+()|{}$^*?[\]\\/]/g;
const escapeRegex = (s: string) => s.replace(regexSpecial, '\\$&');

/** `!` handled, then cleaned as Docker does (`./a` → `a`, `/a` → `a`, `a/` → `a`). */
export function compileIgnorePattern(raw: string): IgnorePattern | undefined {
  let text = raw.trim();
  if (text === '') return undefined;
  const exclusion = text.startsWith('!');
  if (exclusion) {
    text = text.slice(1).trim();
    if (text === '') throw new IgnorePatternError('illegal exclusion pattern: "!"');
  }
  text = cleanPath(text);
  if (text.length > 1 && text.startsWith('/')) text = text.slice(1);
  checkSyntax(text);
  const matches = matcherFor(text);
  const segments = text.split('/');
  return {
    text,
    exclusion,
    matches,
    couldMatchBelow: (dir) => {
      if (segments.some((s) => s.includes('**'))) return true;
      const parts = dir.split('/');
      for (let i = 0; i < Math.min(segments.length, parts.length); i++) {
        if (!segmentRegex(segments[i] as string).test(parts[i] as string)) return false;
      }
      return true;
    },
  };
}

/** Go's filepath.Match rejects an unclosed `[`, an empty class and a trailing `\`. */
function checkSyntax(pattern: string): void {
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '\\') {
      if (i + 1 >= chars.length) throw new IgnorePatternError(`syntax error in pattern "${pattern}"`);
      i++;
    } else if (ch === '[') {
      let j = i + 1;
      if (chars[j] === '^') j++;
      if (chars[j] === ']') throw new IgnorePatternError(`syntax error in pattern "${pattern}"`);
      while (j < chars.length && chars[j] !== ']') j += chars[j] === '\\' ? 2 : 1;
      if (j >= chars.length) throw new IgnorePatternError(`syntax error in pattern "${pattern}"`);
      i = j;
    }
  }
}

function matcherFor(pattern: string): (path: string) => boolean {
  const chars = Array.from(pattern);
  let re = '^';
  let type: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  let i = 0;
  for (let step = 0; i < chars.length; step++) {
    const ch = chars[i++] as string;
    if (ch === '*' && chars[i] === '*') {
      i++;
      if (chars[i] === '/') i++;
      if (i >= chars.length) {
        if (type === 'exact') type = 'prefix';
        else {
          re += '.*';
          type = 'regexp';
        }
      } else {
        re += '(.*/)?';
        type = 'regexp';
      }
      if (step === 0) type = 'suffix';
    } else if (ch === '*') {
      re += '[^/]*';
      type = 'regexp';
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (ch === '\\') {
      const next = chars[i++];
      re += next === undefined ? '\\\\' : escapeRegex(next);
      if (next !== undefined) type = 'regexp';
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else {
      re += '.+()|{}$'.includes(ch) ? `\\${ch}` : ch;
    }
  }
  switch (type) {
    case 'exact':
      return (path) => path === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (path) => path.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    case 'regexp': {
      let regex: RegExp;
      try {
        regex = new RegExp(`${re}$`, 'u');
      } catch {
        throw new IgnorePatternError(`syntax error in pattern "${pattern}"`);
      }
      return (path) => regex.test(path);
    }
  }
}

/** One path segment of a pattern as a whole-segment regular expression. */
function segmentRegex(segment: string): RegExp {
  let re = '';
  const chars = Array.from(segment);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\') re += escapeRegex(chars[++i] ?? '\\');
    else if (ch === '[' || ch === ']') re += ch;
    else re += escapeRegex(ch);
  }
  try {
    return new RegExp(`^${re}$`, 'u');
  } catch {
    return /^/;
  }
}
