/**
 * Go's `%q` and `%v` for the few values Docker prints into an image's history
 * (`CMD ["/bin/sh" "-c" "echo hi"]`, `SHELL [/bin/bash -c]`, a HEALTHCHECK's retries).
 */

const namedEscapes: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
};

function escapeCodePoint(ch: string, quote: string): string {
  if (ch === quote) return `\\${quote}`;
  const named = namedEscapes[ch];
  if (named) return named;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if ((cp >= 0x80 && cp < 0xa0) || cp === 0xad) return `\\u${cp.toString(16).padStart(4, '0')}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  return ch;
}

/** Go's strconv.Quote: a double-quoted string with Go escapes. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) out += escapeCodePoint(ch, '"');
  return `${out}"`;
}

/** Go's `%q` applied to an integer: the character literal (`'\x03'` for 3). */
export function goQuoteRune(n: number): string {
  return `'${escapeCodePoint(String.fromCodePoint(n), "'")}'`;
}

/** Go's `%q` for a []string: `["a" "b"]`. */
export function goQuotedList(items: readonly string[]): string {
  return `[${items.map(goQuote).join(' ')}]`;
}

/** Go's `%v` for a []string: `[a b]`. */
export function goPlainList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}
