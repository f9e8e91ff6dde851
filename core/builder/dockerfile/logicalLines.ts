/**
 * From the Dockerfile's text to its instructions' lines, as Docker's parser reads it: parser
 * directives at the very top, comment lines, line continuations with the escape character
 * (comment lines and empty lines inside a continuation are skipped), and heredoc bodies.
 */
import { jsonArray, splitInstruction } from './argumentSyntax.js';
import { dockerfileError } from './dockerfileError.js';
import { type HeredocMarker, heredocInstructions, heredocMarkersInLine } from './heredoc.js';
import { ExpansionError } from './wordExpansion.js';

export type EscapeChar = '\\' | '`';

/** A heredoc with its body: every line up to the terminator, each with its line ending. */
export interface Heredoc extends HeredocMarker {
  content: string;
}

export interface LogicalLine {
  /** 1-based line where the instruction starts. */
  line: number;
  /** Last line of the instruction, its continuations and heredoc bodies included. */
  endLine: number;
  /** The instruction with its continuations joined, as Docker keeps it (no heredoc bodies). */
  text: string;
  heredocs: Heredoc[];
}

export interface LexedDockerfile {
  escape: EscapeChar;
  /** `# syntax=` is accepted and otherwise ignored: Stevedore has one frontend. */
  syntax?: string;
  lines: LogicalLine[];
  warnings: string[];
}

const directivePattern = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const knownDirectives = new Set(['escape', 'syntax', 'check']);

class Directives {
  escape: EscapeChar = '\\';
  syntax: string | undefined;
  private done = false;
  private readonly seen = new Set<string>();
  private continuation = continuationPattern('\\');

  /** Directives are read only until the first line that is not one (blank lines included). */
  consider(token: string, line: number): void {
    if (this.done) return;
    const match = directivePattern.exec(token);
    const key = match?.[1]?.toLowerCase();
    if (!match || key === undefined || !knownDirectives.has(key)) {
      this.done = true;
      return;
    }
    if (this.seen.has(key)) throw dockerfileError(line, 'parser directive', `only one ${key} parser directive can be used`);
    this.seen.add(key);
    const value = match[2] ?? '';
    if (key === 'escape') {
      if (value !== '`' && value !== '\\') {
        throw dockerfileError(line, 'parser directive', `invalid escape token '${value}' does not match \` or \\`);
      }
      this.escape = value;
      this.continuation = continuationPattern(value);
    } else if (key === 'syntax') {
      this.syntax = value;
    }
  }

  /** The line without its continuation mark, and whether the instruction ends here. */
  cutContinuation(text: string): { text: string; ends: boolean } {
    if (!this.continuation.test(text)) return { text, ends: true };
    return { text: text.replace(this.continuation, '$1'), ends: false };
  }
}

/** The escape character last on the line, unless it is itself escaped. */
function continuationPattern(escapeChar: EscapeChar): RegExp {
  const e = escapeChar === '\\' ? '\\\\' : '`';
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
}

const trimLineEnd = (s: string) => s.replace(/[\r\n]+$/, '');
const isCommentLine = (s: string) => trimLineEnd(s).trimStart().startsWith('#');

/** Reads the whole text into logical lines; throws a `Dockerfile line N:` error on a bad directive or heredoc. */
export function lexDockerfile(source: string): LexedDockerfile {
  const physical = source.replace(/^\uFEFF/, '').split(/(?<=\n)/);
  const directives = new Directives();
  const lines: LogicalLine[] = [];
  const warnings: string[] = [];
  let index = 0;
  const nextLine = () => physical[index++] as string;

  while (index < physical.length) {
    const lineNo = index + 1;
    const token = trimLineEnd(nextLine()).trimStart();
    directives.consider(token, lineNo);
    const first = directives.cutContinuation(token.startsWith('#') ? '' : token);
    if (first.ends && first.text === '') continue;

    let text = first.text;
    let ends = first.ends;
    let emptyContinuation = false;
    while (!ends && index < physical.length) {
      const raw = nextLine();
      const continued = trimLineEnd(raw);
      directives.consider(continued, index);
      if (isCommentLine(raw)) continue;
      if (continued.trim() === '') {
        emptyContinuation = true;
        continue;
      }
      const cut = directives.cutContinuation(continued);
      text += cut.text;
      ends = cut.ends;
    }
    if (emptyContinuation) warnings.push(`line ${lineNo}: empty continuation line (Docker warns it will become an error)`);

    const heredocs: Heredoc[] = [];
    for (const marker of heredocMarkers(text, lineNo)) {
      let content = '';
      let terminated = false;
      while (index < physical.length) {
        const raw = nextLine();
        let candidate = trimLineEnd(raw);
        if (marker.chomp) candidate = candidate.replace(/^\t+/, '');
        if (candidate === marker.name) {
          terminated = true;
          break;
        }
        content += raw;
      }
      if (!terminated) {
        throw dockerfileError(
          lineNo,
          keywordOf(text),
          `unterminated heredoc <<${marker.name} (no line "${marker.name}" before the end of the file)`,
        );
      }
      heredocs.push({ ...marker, content });
    }
    lines.push({ line: lineNo, endLine: index, text, heredocs });
  }

  return {
    escape: directives.escape,
    ...(directives.syntax !== undefined ? { syntax: directives.syntax } : {}),
    lines,
    warnings,
  };
}

function keywordOf(text: string): string {
  return splitInstruction(text).keyword.toUpperCase();
}

/** Heredocs are read for RUN, COPY and ADD in shell form, also behind ONBUILD. */
function heredocMarkers(text: string, lineNo: number): HeredocMarker[] {
  if (!text.includes('<<')) return [];
  let split = splitInstruction(text);
  if (split.keyword.toUpperCase() === 'ONBUILD') split = splitInstruction(split.rest);
  if (!heredocInstructions.has(split.keyword.toUpperCase())) return [];
  if (jsonArray(split.rest).kind !== 'not-json') return [];
  try {
    return heredocMarkersInLine(text);
  } catch (err) {
    if (err instanceof ExpansionError) throw dockerfileError(lineNo, keywordOf(text), err.message);
    throw err;
  }
}
