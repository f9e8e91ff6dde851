/*
 * Paths typed into Load and Save: files on the engine's machine (the web UI has no file dialog,
 * and the engine's working directory means nothing in this window), so only full paths.
 */

const isAbsolute = (path: string) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);

/** A full path on the engine's machine, or the sentence saying what is wrong with the text. */
export function checkEnginePath(text: string, what: string): string | null {
  const path = text.trim();
  if (path === '') return `Type the ${what}’s full path, such as /home/me/images/app.tar.`;
  if (!isAbsolute(path)) return `Type the full path, starting with /: the ${what} is on the engine’s machine.`;
  return null;
}
