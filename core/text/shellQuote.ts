/** Arguments as one shell line, each quoted only when it has to be: `sh -c 'echo hi'`. */
export function shellQuote(args: string[]): string {
  return args.map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}
