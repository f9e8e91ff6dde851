/**
 * How Docker cuts an instruction's line into pieces before any substitution: the keyword, the
 * leading `--flags`, and the rest read as a JSON array, as quote-aware words, or as plain
 * whitespace-separated words, depending on the instruction.
 */

const isSpace = (ch: string) => /^\s$/u.test(ch);
const whitespaceRun = /[\t\v\f\r ]+/;

export interface SplitInstruction {
  /** The instruction word as written (`RUN`, `copy` …). */
  keyword: string;
  /** Leading `--name[=value]` words, quotes and `\` escapes removed. */
  flags: string[];
  /** Everything after the flags, trimmed. */
  rest: string;
}

/** `COPY --from=build --chown=1:1 a /b` → keyword `COPY`, flags, rest `a /b`. */
export function splitInstruction(line: string): SplitInstruction {
  const trimmed = line.trim();
  const space = whitespaceRun.exec(trimmed);
  if (!space) return { keyword: trimmed, flags: [], rest: '' };
  const keyword = trimmed.slice(0, space.index);
  const { flags, rest } = leadingFlags(trimmed.slice(space.index + space[0].length));
  return { keyword, flags, rest: rest.trim() };
}

/** Words starting with `--` at the front of the arguments; a bare `--` ends them. */
function leadingFlags(line: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = '';
  let blankOk = false;
  for (let pos = 0; pos <= line.length; pos++) {
    const atEnd = pos === line.length;
    const ch = line[pos] ?? '';
    if (phase === 'spaces') {
      if (atEnd) break;
      if (isSpace(ch)) continue;
      if (ch !== '-' || line[pos + 1] !== '-') return { flags, rest: line.slice(pos) };
      phase = 'word';
    }
    if (atEnd) {
      if (word !== '--' && (blankOk || word.length > 0)) flags.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (word === '--') return { flags, rest: line.slice(pos) };
        if (blankOk || word.length > 0) flags.push(word);
        word = '';
        blankOk = false;
      } else if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
      } else if (ch === '\\') {
        if (pos + 1 < line.length) word += line[++pos];
      } else {
        word += ch;
      }
      continue;
    }
    if (ch === quote) {
      phase = 'word';
    } else if (ch === '\\') {
      if (pos + 1 === line.length) phase = 'word';
      else word += line[++pos];
    } else {
      word += ch;
    }
  }
  return { flags, rest: '' };
}

export type JsonArrayResult = { kind: 'array'; items: string[] } | { kind: 'not-json' } | { kind: 'not-strings' };

/** The exec form: the whole rest is a JSON array (of strings, or it is an error). */
export function jsonArray(rest: string): JsonArrayResult {
  const text = rest.trimStart();
  if (!text.startsWith('[')) return { kind: 'not-json' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'not-json' };
  }
  if (!Array.isArray(parsed)) return { kind: 'not-json' };
  if (!parsed.every((item) => typeof item === 'string')) return { kind: 'not-strings' };
  return { kind: 'array', items: parsed as string[] };
}

/** Whitespace-separated words, with no regard for quotes (FROM, EXPOSE, shell-form COPY). */
export function plainWords(rest: string): string[] {
  if (rest === '') return [];
  return rest.split(whitespaceRun);
}

/**
 * Words separated by unquoted whitespace, keeping the quotes and escapes for the word
 * processing that follows (ENV, LABEL, ARG).
 */
export function quotedWords(rest: string, escapeChar: string): string[] {
  const chars = Array.from(rest);
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOk = false;
  let word = '';
  for (let pos = 0; pos <= chars.length; pos++) {
    const atEnd = pos === chars.length;
    let ch = chars[pos] ?? '';
    if (phase === 'spaces') {
      if (atEnd) break;
      if (isSpace(ch)) continue;
      phase = 'word';
    }
    if (atEnd) {
      if (blankOk || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (blankOk || word.length > 0) words.push(word);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
      }
      if (ch === escapeChar) {
        if (pos + 1 === chars.length) continue;
        word += ch;
        ch = chars[++pos] ?? '';
      }
      word += ch;
      continue;
    }
    if (ch === quote) phase = 'word';
    if (ch === escapeChar && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      word += ch;
      ch = chars[++pos] ?? '';
    }
    word += ch;
  }
  return words;
}
