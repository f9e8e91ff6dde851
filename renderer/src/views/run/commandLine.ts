/**
 * One line of command, split into arguments as a POSIX shell would for quoting alone: words
 * part at blanks, '…' is literal, "…" keeps all but \" \\ \$ \` escapes, and a backslash outside
 * quotes takes the next character as it is. Nothing is expanded: `$i` stays `$i`, for the
 * container's own shell to read (as in `sh -c 'echo $i'`).
 */
export type CommandSplit = { ok: true; args: string[] } | { ok: false; problem: string };

const blank = /[ \t\n]/;
const escapableInDouble = new Set(['"', '\\', '$', '`']);

export function splitCommandLine(text: string): CommandSplit {
  const args: string[] = [];
  let word = '';
  // A word exists once something was written to it, even '' (an empty argument).
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && escapableInDouble.has(text.charAt(i + 1))) word += text.charAt(++i);
      else word += c;
    } else if (blank.test(c)) {
      if (inWord) args.push(word);
      word = '';
      inWord = false;
    } else {
      inWord = true;
      if (c === "'" || c === '"') quote = c;
      else if (c === '\\') {
        if (i + 1 >= text.length) return { ok: false, problem: 'The command ends with a lone backslash.' };
        word += text.charAt(++i);
      } else word += c;
    }
  }
  if (quote) return { ok: false, problem: `A ${quote === "'" ? 'single' : 'double'} quote (${quote}) is not closed.` };
  if (inWord) args.push(word);
  return { ok: true, args };
}
