/**
 * One logical line → one instruction with its arguments read but not yet substituted, checked
 * the way Docker's instruction parser checks them (argument counts, flags, JSON forms).
 */
import { type JsonArrayResult, jsonArray, plainWords, quotedWords, splitInstruction } from './argumentSyntax.js';
import { dockerfileError } from './dockerfileError.js';
import { parseGoDuration } from './goDuration.js';
import { chompHeredoc, heredocMarker } from './heredoc.js';
import { FlagError, type FlagSpec, type ParsedFlags, parseFlags } from './instructionFlags.js';
import type { CommandForm, KeyValue, SourceText } from './instructionTypes.js';
import type { EscapeChar, Heredoc, LogicalLine } from './logicalLines.js';

export interface RawInline {
  name: string;
  content: string;
  expand: boolean;
}

interface RawCopyOrAdd {
  src: SourceText;
  sources: string[];
  inline: RawInline[];
  dest: string;
  chown?: string;
  chmod?: string;
  link: boolean;
}

export type RawInstruction =
  | { kind: 'FROM'; src: SourceText; image: string; name?: string; platform?: string }
  | {
      kind: 'RUN';
      src: SourceText;
      form: CommandForm;
      command: string[];
      heredocs: Heredoc[];
      mounts: string[];
      network?: 'default' | 'none' | 'host';
      security?: 'sandbox' | 'insecure';
    }
  | { kind: 'CMD' | 'ENTRYPOINT'; src: SourceText; form: CommandForm; command: string[] }
  | ({ kind: 'COPY'; from?: string } & RawCopyOrAdd)
  | ({ kind: 'ADD'; keepGitDir: boolean; checksum?: string } & RawCopyOrAdd)
  | { kind: 'ENV' | 'LABEL'; src: SourceText; pairs: KeyValue[] }
  | { kind: 'ARG'; src: SourceText; args: { key: string; value?: string }[] }
  | { kind: 'WORKDIR'; src: SourceText; path: string }
  | { kind: 'USER'; src: SourceText; user: string }
  | { kind: 'STOPSIGNAL'; src: SourceText; signal: string }
  | { kind: 'MAINTAINER'; src: SourceText; maintainer: string }
  | { kind: 'EXPOSE'; src: SourceText; ports: string[] }
  | { kind: 'VOLUME'; src: SourceText; volumes: string[] }
  | { kind: 'SHELL'; src: SourceText; shell: string[] }
  | {
      kind: 'HEALTHCHECK';
      src: SourceText;
      test: string[];
      interval: number;
      timeout: number;
      startPeriod: number;
      startInterval: number;
      retries: number;
    }
  | { kind: 'ONBUILD'; src: SourceText; expression: string };

export const instructionNames = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
] as const;

const copyFlags: FlagSpec = { from: 'string', chown: 'string', chmod: 'string', link: 'bool' };
const addFlags: FlagSpec = { chown: 'string', chmod: 'string', link: 'bool', 'keep-git-dir': 'bool', checksum: 'string' };
const runFlags: FlagSpec = { mount: 'list', network: 'string', security: 'string' };
const healthFlags: FlagSpec = {
  interval: 'string',
  timeout: 'string',
  'start-period': 'string',
  'start-interval': 'string',
  retries: 'string',
};

export function parseInstruction(logical: LogicalLine, escapeChar: EscapeChar): RawInstruction {
  const { keyword, flags: rawFlags, rest } = splitInstruction(logical.text);
  const kind = keyword.toUpperCase();
  const src: SourceText = { line: logical.line, endLine: logical.endLine, original: logical.text.trim() };
  const fail = (message: string) => dockerfileError(logical.line, kind, message);
  const flags = (spec: FlagSpec): ParsedFlags => {
    try {
      return parseFlags(rawFlags, spec);
    } catch (err) {
      if (err instanceof FlagError) throw fail(err.message);
      throw err;
    }
  };
  const exactlyOne = (): string => {
    flags({});
    if (rest === '') throw fail('requires exactly one argument');
    return rest;
  };

  switch (kind) {
    case 'FROM': {
      const args = plainWords(rest);
      let name: string | undefined;
      if (args.length === 3 && args[1]?.toLowerCase() === 'as') {
        name = (args[2] as string).toLowerCase();
        if (!/^[a-z][a-z0-9-_.]*$/.test(name)) {
          throw fail(`invalid name for build stage: "${args[2]}", name can't start with a number or contain symbols`);
        }
      } else if (args.length !== 1) {
        throw fail('requires either one or three arguments: FROM image [AS name]');
      }
      const platform = flags({ platform: 'string' }).string('platform');
      return {
        kind,
        src,
        image: args[0] as string,
        ...(name !== undefined ? { name } : {}),
        ...(platform !== undefined ? { platform } : {}),
      };
    }
    case 'RUN': {
      const f = flags(runFlags);
      const network = f.string('network');
      if (network !== undefined && network !== 'default' && network !== 'none' && network !== 'host') {
        throw fail(`unsupported network mode "${network}" (use default, none or host)`);
      }
      const security = f.string('security');
      if (security !== undefined && security !== 'sandbox' && security !== 'insecure') {
        throw fail(`unsupported security mode "${security}" (use sandbox or insecure)`);
      }
      const { form, command } = commandLine(rest, fail);
      return {
        kind,
        src,
        form,
        command,
        heredocs: form === 'shell' ? logical.heredocs : [],
        mounts: f.list('mount'),
        ...(network !== undefined ? { network } : {}),
        ...(security !== undefined ? { security } : {}),
      };
    }
    case 'CMD':
    case 'ENTRYPOINT': {
      flags({});
      return { kind, src, ...commandLine(rest, fail) };
    }
    case 'COPY':
    case 'ADD': {
      const f = flags(kind === 'COPY' ? copyFlags : addFlags);
      const parsed = pathList(rest, fail);
      if (parsed.args.length < 2) {
        throw fail('requires at least two arguments, but only one was provided. Destination could not be determined');
      }
      const dest = parsed.args[parsed.args.length - 1] as string;
      if (!parsed.json && heredocMarker(dest)) throw fail('cannot accept a heredoc as a destination');
      const sources: string[] = [];
      const inline: RawInline[] = [];
      for (const word of parsed.args.slice(0, -1)) {
        const marker = parsed.json ? undefined : heredocMarker(word);
        if (!marker) {
          sources.push(word);
          continue;
        }
        const body = logical.heredocs.find((h) => h.name === marker.name)?.content ?? '';
        inline.push({ name: marker.name, content: marker.chomp ? chompHeredoc(body) : body, expand: marker.expand });
      }
      const common = {
        src,
        sources,
        inline,
        dest,
        link: f.bool('link'),
        ...optional('chown', f.string('chown')),
        ...optional('chmod', f.string('chmod')),
      };
      if (kind === 'COPY') return { kind, ...common, ...optional('from', f.string('from')) };
      return { kind, ...common, keepGitDir: f.bool('keep-git-dir'), ...optional('checksum', f.string('checksum')) };
    }
    case 'ENV':
    case 'LABEL': {
      flags({});
      return { kind, src, pairs: nameValues(rest, escapeChar, kind, fail) };
    }
    case 'ARG': {
      flags({});
      const words = quotedWords(rest, escapeChar);
      if (words.length === 0) throw fail('requires at least one argument');
      const args = words.map((word) => {
        const eq = word.indexOf('=');
        if (eq < 0) return { key: word };
        if (eq === 0) throw fail('names can not be blank');
        return { key: word.slice(0, eq), value: word.slice(eq + 1) };
      });
      return { kind, src, args };
    }
    case 'WORKDIR':
      return { kind, src, path: exactlyOne() };
    case 'USER':
      return { kind, src, user: exactlyOne() };
    case 'STOPSIGNAL':
      return { kind, src, signal: exactlyOne() };
    case 'MAINTAINER':
      return { kind, src, maintainer: exactlyOne() };
    case 'EXPOSE': {
      flags({});
      const ports = plainWords(rest);
      if (ports.length === 0) throw fail('requires at least one argument');
      return { kind, src, ports: ports.sort() };
    }
    case 'VOLUME': {
      flags({});
      const { args } = pathList(rest, fail);
      if (args.length === 0) throw fail('requires at least one argument');
      const volumes = args.map((v) => v.trim());
      if (volumes.includes('')) throw fail('VOLUME specified can not be an empty string');
      return { kind, src, volumes };
    }
    case 'SHELL': {
      flags({});
      const parsed = jsonArray(rest);
      if (parsed.kind === 'not-strings') throw fail(notStrings);
      if (parsed.kind === 'not-json') {
        if (rest === '') throw fail('requires at least one argument');
        throw fail('requires the arguments to be in JSON form, e.g. SHELL ["/bin/bash", "-c"]');
      }
      if (parsed.items.length === 0) throw fail('requires at least one argument');
      return { kind, src, shell: parsed.items };
    }
    case 'HEALTHCHECK':
      return healthcheck(rest, src, fail, flags);
    case 'ONBUILD': {
      flags({});
      if (rest === '') throw fail('requires at least one argument');
      const triggerKind = splitInstruction(rest).keyword.toUpperCase();
      if (triggerKind === 'ONBUILD') throw fail("chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (triggerKind === 'FROM' || triggerKind === 'MAINTAINER')
        throw fail(`${triggerKind} isn't allowed as an ONBUILD trigger`);
      // Checked here as Docker checks it; the children parse the expression again to run it.
      parseInstruction({ ...logical, text: rest }, escapeChar);
      let expression = logical.text.replace(/^\s*ONBUILD\s*/i, '');
      for (const h of logical.heredocs) expression += `\n${h.content}${h.name}`;
      return { kind, src, expression };
    }
    default:
      throw dockerfileError(logical.line, keyword, `unknown instruction${suggestion(kind)}`);
  }
}

const notStrings = 'when using JSON array syntax, arrays must be comprised of strings only';

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/**
 * A JSON array of strings, or the other form: a line that is not valid JSON (`['a', 'b']`) is the
 * shell form, as BuildKit's parseMaybeJSON falls back; only an array of non-strings is an error.
 */
function checkedJson(rest: string, fail: (m: string) => Error): JsonArrayResult {
  const parsed = jsonArray(rest);
  if (parsed.kind === 'not-strings') throw fail(notStrings);
  return parsed;
}

/** RUN, CMD, ENTRYPOINT: a JSON array is the exec form, anything else one shell command line. */
function commandLine(rest: string, fail: (m: string) => Error): { form: CommandForm; command: string[] } {
  const parsed = checkedJson(rest, fail);
  if (parsed.kind === 'array') return { form: 'exec', command: parsed.items };
  if (rest === '') throw fail('requires a command (shell form) or a JSON array (exec form)');
  return { form: 'shell', command: [rest] };
}

/** COPY, ADD, VOLUME: a JSON array, or words split at whitespace (quotes do not group). */
function pathList(rest: string, fail: (m: string) => Error): { args: string[]; json: boolean } {
  const parsed = checkedJson(rest, fail);
  if (parsed.kind === 'array') return { args: parsed.items, json: true };
  return { args: plainWords(rest), json: false };
}

/** ENV and LABEL: `key=value …` (quotes kept for the substitution), or the legacy `key value`. */
function nameValues(rest: string, escapeChar: EscapeChar, kind: string, fail: (m: string) => Error): KeyValue[] {
  const words = quotedWords(rest, escapeChar);
  if (words.length === 0) throw fail('requires at least one argument');
  if (!(words[0] as string).includes('=')) {
    const space = /[\t\v\f\r ]+/.exec(rest);
    if (!space) throw fail(`must have two arguments: ${kind} key value, or ${kind} key=value …`);
    return [{ key: rest.slice(0, space.index), value: rest.slice(space.index + space[0].length) }];
  }
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq < 0) throw fail(`syntax error - can't find = in "${word}". Must be of the form: name=value`);
    if (eq === 0) throw fail('names can not be blank');
    return { key: word.slice(0, eq), value: word.slice(eq + 1) };
  });
}

function healthcheck(
  rest: string,
  src: SourceText,
  fail: (m: string) => Error,
  flags: (spec: FlagSpec) => ParsedFlags,
): RawInstruction {
  const space = /\s/.exec(rest);
  const type = (space ? rest.slice(0, space.index) : rest).toUpperCase();
  const after = space ? rest.slice(space.index).trim() : '';
  const none = { interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0 };
  if (type === '') throw fail('requires at least one argument');
  if (type === 'NONE') {
    if (after !== '') throw fail('HEALTHCHECK NONE takes no arguments');
    return { kind: 'HEALTHCHECK', src, test: ['NONE'], ...none };
  }
  const f = flags(healthFlags);
  if (type !== 'CMD') throw fail(`unknown type "${type}" in HEALTHCHECK (try CMD)`);
  const parsed = checkedJson(after, fail);
  const command = parsed.kind === 'array' ? parsed.items : after === '' ? [] : [after];
  if (command.length === 0) throw fail('missing command after HEALTHCHECK CMD');
  const duration = (name: string): number => {
    const text = f.string(name);
    if (text === undefined || text === '') return 0;
    const nanos = parseGoDuration(text);
    if (nanos === undefined) throw fail(`invalid duration "${text}" for --${name} (e.g. 30s, 1m30s, 500ms)`);
    if (nanos !== 0 && nanos < 1e6) throw fail(`--${name} cannot be less than 1ms`);
    return nanos;
  };
  const retriesText = f.string('retries');
  let retries = 0;
  if (retriesText !== undefined && retriesText !== '') {
    if (!/^[-+]?\d+$/.test(retriesText)) throw fail(`invalid --retries "${retriesText}" (a whole number)`);
    retries = Number(retriesText);
    if (retries < 0) throw fail(`--retries cannot be negative (${retries})`);
  }
  return {
    kind: 'HEALTHCHECK',
    src,
    test: parsed.kind === 'array' ? ['CMD', ...command] : ['CMD-SHELL', ...command],
    interval: duration('interval'),
    timeout: duration('timeout'),
    startPeriod: duration('start-period'),
    startInterval: duration('start-interval'),
    retries,
  };
}

function suggestion(word: string): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of instructionNames) {
    const d = editDistance(word, name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
