import { ExpansionError, expand } from './wordExpansion.js';

/** The instructions whose shell form may carry heredocs (also behind ONBUILD). */
export const heredocInstructions: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD']);

/** One `<<NAME` word: its terminator, `<<-` (strip leading tabs), and whether the body is expanded. */
export interface HeredocMarker {
  name: string;
  /** `<<-NAME`: leading tabs are removed from the body lines and the terminator. */
  chomp: boolean;
  /** False when any part of the name was quoted (`<<"EOF"`, `<<'EOF'`): the body stays literal. */
  expand: boolean;
}

const noVariables: ReadonlyMap<string, string> = new Map();
const markerPattern = /^(\d*)<<(-?)([^<]*)$/;

/**
 * The heredoc a word opens, if it is one: `<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`. A quoted
 * name (whole or part) means no expansion, like the shell. Throws on an unterminated quote.
 */
export function heredocMarker(word: string): HeredocMarker | undefined {
  const match = markerPattern.exec(word);
  if (!match) return undefined;
  const rest = match[3] ?? '';
  if (rest === '') return undefined;
  const words = expand(rest, noVariables, { keepUnset: true }).words;
  if (words.length !== 1) return undefined;
  const raw = expand(rest, noVariables, { keepUnset: true, rawQuotes: true }).words;
  const name = words[0] as string;
  const quotes = (s: string) => (s.match(/['"]/g) ?? []).length;
  return { name, chomp: match[2] === '-', expand: quotes(name) === quotes(raw[0] ?? '') };
}

/** Every heredoc opened on an instruction's line, in order. Quoted `"<<EOF"` is not one. */
export function heredocMarkersInLine(line: string): HeredocMarker[] {
  let words: string[];
  try {
    words = expand(line, noVariables, { rawQuotes: true, rawEscapes: true, keepUnset: true }).words;
  } catch (err) {
    if (err instanceof ExpansionError) return [];
    throw err;
  }
  const markers: HeredocMarker[] = [];
  for (const word of words) {
    const marker = heredocMarker(word);
    if (marker) markers.push(marker);
  }
  return markers;
}

/** `<<-`: remove the leading tabs of every line of the body. */
export function chompHeredoc(content: string): string {
  return content.replace(/^\t+/gm, '');
}
