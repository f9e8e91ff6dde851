/** docker's `-e KEY` and a bare KEY line of --env-file: this process's value, or dropped when it has none. */
export function withCallerValues(entries: string[]): string[] {
  return entries.flatMap((e) => (e.includes('=') ? [e] : process.env[e] !== undefined ? [`${e}=${process.env[e]}`] : []));
}
