/**
 * Go's `filepath.Match`, which BuildKit matches COPY and ADD sources with (fsutil's
 * ResolveWildcards): `*` is any run of characters but `/`, `?` one character but `/`, `[...]` a
 * class (`^` negates, `a-z` a range), `\` escapes the next character. There is no `**`: written
 * twice, `*` is still one path component's worth. A malformed pattern (an unclosed or empty class,
 * a trailing `\`) is an error, as Go's ErrBadPattern.
 */
export class BadPatternError extends Error {
  override name = 'BadPatternError';
}

const literal = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Inside a class `-` and `^` mean something too. */
const classLiteral = (ch: string) => ch.replace(/[\]\\^-]/g, '\\$&');

/** The pattern as a regular expression over a whole `/`-separated path. */
export function goPathPattern(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let re = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      if (i + 1 >= chars.length) throw new BadPatternError(`syntax error in pattern "${pattern}"`);
      re += literal(chars[++i] as string);
    } else if (ch === '[') {
      let j = i + 1;
      let cls = '';
      if (chars[j] === '^') {
        cls += '^';
        j++;
      }
      let items = 0;
      for (; j < chars.length && chars[j] !== ']'; j++) {
        let c = chars[j] as string;
        if (c === '\\') {
          if (j + 1 >= chars.length) throw new BadPatternError(`syntax error in pattern "${pattern}"`);
          c = chars[++j] as string;
        }
        if (c === '-' && items === 0) throw new BadPatternError(`syntax error in pattern "${pattern}"`);
        cls += c === '-' && chars[j - 1] !== '\\' ? '-' : classLiteral(c);
        items++;
      }
      if (j >= chars.length || items === 0) throw new BadPatternError(`syntax error in pattern "${pattern}"`);
      re += `[${cls}]`;
      i = j;
    } else re += literal(ch);
  }
  return new RegExp(`^${re}$`, 'su');
}

/** Whether a path component holds a wildcard (fsutil's containsWildcards: `\` escapes one). */
export function hasWildcard(component: string): boolean {
  for (let i = 0; i < component.length; i++) {
    const ch = component[i];
    if (ch === '\\') i++;
    else if (ch === '*' || ch === '?' || ch === '[') return true;
  }
  return false;
}
