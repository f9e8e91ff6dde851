/**
 * Docker's word processing: the small shell-like language the builder itself applies to the
 * arguments of ADD COPY ENV EXPOSE FROM LABEL STOPSIGNAL USER VOLUME WORKDIR and ARG (RUN, CMD
 * and ENTRYPOINT are left to the shell). It removes quotes and escapes and replaces
 * `$v ${v} ${v:-w} ${v-w} ${v:+w} ${v+w} ${v:?msg} ${v#p} ${v%p} ${v/p/r}` from the variables
 * in scope. Single quotes keep `$` literal; inside double quotes only `"`, `$` and the escape
 * character can be escaped. `$$`, `$1`, `$@` … are names too, usually unset, so they vanish.
 */

export interface ExpansionOptions {
  /** The escape character: `\` unless the Dockerfile says `# escape=`. */
  escape?: string;
  /** Keep quote characters in the output (used to find heredoc words and their quoting). */
  rawQuotes?: boolean;
  /** Keep escape characters in the output. */
  rawEscapes?: boolean;
  /** Leave `$name` and `${name…}` as written when the name is not set. */
  keepUnset?: boolean;
  /** Quotes are ordinary characters (the body of a `COPY <<EOF` heredoc). */
  literalQuotes?: boolean;
}

export interface Expansion {
  /** The word with quotes, escapes and variables processed; spaces kept. */
  text: string;
  /** The same, split into words at unquoted spaces (after substitution, as Docker does). */
  words: string[];
  /** Names that were looked up and found. */
  used: Set<string>;
  /** Names that were looked up and not set. */
  unset: Set<string>;
}

/** A syntax error in the word, e.g. `${a` or `${:}`; the caller adds the line. */
export class ExpansionError extends Error {
  override name = 'ExpansionError';
}

export type Variables = ReadonlyMap<string, string>;

export function expand(word: string, vars: Variables, options: ExpansionOptions = {}): Expansion {
  const processor = new WordProcessor(word, vars, options);
  try {
    const { text, words } = processor.processUntil(undefined, options.rawEscapes ?? false);
    return { text, words, used: processor.used, unset: processor.unset };
  } catch (err) {
    if (err instanceof ExpansionError) throw new ExpansionError(`failed to process "${word}": ${err.message}`);
    throw err;
  }
}

/** The word processed as one string (what ENV values, WORKDIR, COPY paths … become). */
export function expandWord(word: string, vars: Variables, options: ExpansionOptions = {}): string {
  return expand(word, vars, options).text;
}

/** The word processed and split into words (what EXPOSE does with `$PORTS`). */
export function expandWords(word: string, vars: Variables, options: ExpansionOptions = {}): string[] {
  return expand(word, vars, options).words;
}

const isSpace = (ch: string) => /^\s$/u.test(ch);
const isDigit = (ch: string) => /^\p{Nd}$/u.test(ch);
const isLetter = (ch: string) => /^\p{L}$/u.test(ch);
const isSpecialParameter = (ch: string) => '@*#?-$!0'.includes(ch);

/** Words split at unquoted, unescaped, unsubstituted-into spaces. */
class WordCollector {
  private word = '';
  private inWord = false;
  private readonly done: string[] = [];

  addChar(ch: string): void {
    if (isSpace(ch)) {
      if (this.inWord && this.word.length > 0) {
        this.done.push(this.word);
        this.word = '';
        this.inWord = false;
      }
    } else {
      this.addRawChar(ch);
    }
  }

  addRawChar(ch: string): void {
    this.word += ch;
    this.inWord = true;
  }

  addString(text: string): void {
    for (const ch of text) this.addChar(ch);
  }

  addRawString(text: string): void {
    this.word += text;
    this.inWord = true;
  }

  finish(): string[] {
    if (this.word.length > 0) {
      this.done.push(this.word);
      this.word = '';
      this.inWord = false;
    }
    return this.done;
  }
}

class WordProcessor {
  readonly used = new Set<string>();
  readonly unset = new Set<string>();
  private readonly chars: string[];
  private pos = 0;
  private readonly escape: string;
  private rawEscapes: boolean;

  constructor(
    word: string,
    private readonly vars: Variables,
    private readonly options: ExpansionOptions,
  ) {
    this.chars = Array.from(word);
    this.escape = options.escape ?? '\\';
    this.rawEscapes = options.rawEscapes ?? false;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private next(): string | undefined {
    const ch = this.chars[this.pos];
    if (ch !== undefined) this.pos++;
    return ch;
  }

  private lookup(name: string): string | undefined {
    const value = this.vars.get(name);
    if (value === undefined) this.unset.add(name);
    else this.used.add(name);
    return value;
  }

  /** Process up to (and consuming) `stop`, or to the end when `stop` is undefined. */
  processUntil(stop: string | undefined, rawEscapes: boolean): { text: string; words: string[] } {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      let text = '';
      const words = new WordCollector();
      for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
        if (stop !== undefined && ch === stop) {
          this.next();
          return { text, words: words.finish() };
        }
        if (ch === '$') {
          const value = this.dollar();
          text += value;
          words.addString(value);
          continue;
        }
        if (!this.options.literalQuotes && (ch === "'" || ch === '"')) {
          const quoted = ch === "'" ? this.singleQuoted() : this.doubleQuoted();
          text += quoted;
          words.addRawString(quoted);
          continue;
        }
        const c = this.next() as string;
        if (c === this.escape) {
          if (this.rawEscapes) {
            words.addRawChar(c);
            text += c;
          }
          const escaped = this.next();
          if (escaped === undefined) break;
          words.addRawChar(escaped);
          text += escaped;
        } else {
          words.addChar(c);
          text += c;
        }
      }
      if (stop !== undefined) throw new ExpansionError(`unexpected end of statement while looking for matching ${stop}`);
      return { text, words: words.finish() };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private singleQuoted(): string {
    const quote = this.next() as string;
    let out = this.options.rawQuotes ? quote : '';
    for (;;) {
      const ch = this.next();
      if (ch === undefined) throw new ExpansionError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return this.options.rawQuotes ? out + ch : out;
      out += ch;
    }
  }

  private doubleQuoted(): string {
    const quote = this.next() as string;
    let out = this.options.rawQuotes ? quote : '';
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) throw new ExpansionError('unexpected end of statement while looking for matching double-quote');
      if (ch === '"') {
        this.next();
        return this.options.rawQuotes ? out + ch : out;
      }
      if (ch === '$') {
        out += this.dollar();
        continue;
      }
      let c = this.next() as string;
      if (c === this.escape) {
        if (this.rawEscapes) out += c;
        const after = this.peek();
        if (after === undefined) continue;
        if (after === '"' || after === '$' || after === this.escape) c = this.next() as string;
      }
      out += c;
    }
  }

  private name(): string {
    let name = '';
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (name === '' && isDigit(ch)) {
        while (this.peek() !== undefined && isDigit(this.peek() as string)) name += this.next();
        return name;
      }
      if (name === '' && isSpecialParameter(ch)) {
        this.next();
        return ch;
      }
      if (!isLetter(ch) && !isDigit(ch) && ch !== '_') break;
      name += this.next();
    }
    return name;
  }

  private dollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.name();
      if (name === '') return '$';
      const value = this.lookup(name);
      if (value === undefined && this.options.keepUnset) return `$${name}`;
      return value ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw new ExpansionError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new ExpansionError('syntax error: bad substitution');
    const name = this.name();
    let modifier = this.next();
    if (modifier === undefined) throw new ExpansionError("syntax error: missing '}'");
    if (modifier === '}') {
      const value = this.lookup(name);
      if (value === undefined && this.options.keepUnset) return `\${${name}}`;
      return value ?? '';
    }
    if (modifier === '/') return this.replacement(name);
    let written = modifier;
    let nullIsUnset = false;
    if (modifier === ':') {
      nullIsUnset = true;
      modifier = this.next() ?? '';
      written += modifier;
    } else if (!'+-?#%'.includes(modifier)) {
      throw new ExpansionError(`unsupported modifier (${modifier}) in substitution`);
    }
    const word = this.untilClosingBrace(modifier === '#' || modifier === '%');
    const value = this.lookup(name);
    if (value === undefined && this.options.keepUnset) return `\${${name}${written}${word}}`;
    const unset = value === undefined || (nullIsUnset && value === '');
    switch (modifier) {
      case '-':
        return unset ? word : (value ?? '');
      case '+':
        return unset ? '' : word;
      case '?':
        if (value === undefined) throw new ExpansionError(`${name}: ${word || 'is not allowed to be unset'}`);
        if (nullIsUnset && value === '') throw new ExpansionError(`${name}: ${word || 'is not allowed to be empty'}`);
        return value;
      case '#':
      case '%': {
        const greedy = word.startsWith(modifier);
        const pattern = greedy ? word.slice(1) : word;
        return modifier === '#' ? trimPrefix(value ?? '', pattern, greedy) : trimSuffix(value ?? '', pattern, greedy);
      }
      default:
        throw new ExpansionError(`unsupported modifier (${written}) in substitution`);
    }
  }

  private untilClosingBrace(rawEscapes: boolean): string {
    try {
      return this.processUntil('}', rawEscapes).text;
    } catch (err) {
      if (err instanceof ExpansionError && this.peek() === undefined) throw new ExpansionError("syntax error: missing '}'");
      throw err;
    }
  }

  private replacement(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    let pattern: string;
    try {
      pattern = this.processUntil('/', true).text;
    } catch (err) {
      if (err instanceof ExpansionError && this.peek() === undefined)
        throw new ExpansionError("syntax error: missing '/' in $" + '{}');
      throw err;
    }
    const replacement = this.untilClosingBrace(true);
    const value = this.lookup(name);
    if (value === undefined && this.options.keepUnset) return `\${${name}/${pattern}/${replacement}}`;
    const re = shellPatternRegex(pattern, true, all ? 'g' : '');
    return (value ?? '').replace(re, () => replacement);
  }
}

/** A shell wildcard pattern (`*`, `?`, `\` escapes; no brackets) as a regular expression. */
function shellPatternRegex(pattern: string, greedy: boolean, flags: string, whole = false): RegExp {
  let out = '';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '*') out += greedy ? '.*' : '.*?';
    else if (ch === '?') out += '.';
    else if (ch === '\\') {
      const next = chars[i + 1];
      if (next === '}' || next === '/') continue;
      if (next === undefined || !'*?\\'.includes(next)) throw new ExpansionError(`invalid pattern (${pattern}) in substitution`);
      out += `\\${next}`;
      i++;
    } else out += ch.replace(/[.+()|^$[\]{}]/g, '\\$&');
  }
  return new RegExp(whole ? `^(?:${out})$` : out, flags);
}

function trimPrefix(value: string, pattern: string, longest: boolean): string {
  const re = shellPatternRegex(pattern, true, 's', true);
  const chars = Array.from(value);
  const ends = chars.map((_, i) => i + 1);
  ends.unshift(0);
  if (longest) ends.reverse();
  for (const end of ends) {
    if (re.test(chars.slice(0, end).join(''))) return chars.slice(end).join('');
  }
  return value;
}

function trimSuffix(value: string, pattern: string, longest: boolean): string {
  const re = shellPatternRegex(pattern, true, 's', true);
  const chars = Array.from(value);
  const starts = chars.map((_, i) => i);
  starts.push(chars.length);
  if (!longest) starts.reverse();
  for (const start of starts) {
    if (re.test(chars.slice(start).join(''))) return chars.slice(0, start).join('');
  }
  return value;
}
