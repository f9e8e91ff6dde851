/**
 * Substitution, instruction by instruction, exactly where Docker does it. Each instruction's
 * words are expanded with the variables as they stand before it (so `ENV a=1 b=$a` sees the
 * old `a`), then the instruction updates the scope for the next one. ARG is the exception
 * BuildKit makes: its names are defined one after the other (`ARG a=1 b=$a` sees the new `a`).
 */
import { parseSignal } from '../../runtime/signals.js';
import type { BuildScope } from './buildScope.js';
import { dockerfileError } from './dockerfileError.js';
import { exposedPorts } from './exposedPorts.js';
import type { CopySource, Instruction, KeyValue, ResolvedMount } from './instructionTypes.js';
import type { EscapeChar } from './logicalLines.js';
import type { RawInstruction } from './parseInstruction.js';
import { MountError, parseMount } from './runMount.js';
import { ExpansionError, expandWord, expandWords } from './wordExpansion.js';

export interface EvaluationContext {
  escape: EscapeChar;
  buildArgs: ReadonlyMap<string, string>;
  /** Platform ARGs and the ARGs before the first FROM, resolved: what `ARG NAME` inherits. */
  globals: ReadonlyMap<string, string>;
  /** Resolves COPY --from / mount from= (a stage before this one, or an image). */
  source(from: string, line: number, kind: string, byIndex: boolean): CopySource;
}

/** Substitutes one instruction and applies it to the scope; throws `Dockerfile line N:` errors. */
export function evaluateInstruction(
  raw: Exclude<RawInstruction, { kind: 'FROM' }>,
  scope: BuildScope,
  ctx: EvaluationContext,
): Instruction {
  const { kind } = raw;
  const fail = (message: string) => dockerfileError(raw.src.line, kind, message);
  const vars = new Map(scope.env);
  const word = (text: string): string => {
    try {
      return expandWord(text, vars, { escape: ctx.escape });
    } catch (err) {
      if (err instanceof ExpansionError) throw fail(err.message);
      throw err;
    }
  };
  const src = raw.src;

  switch (raw.kind) {
    case 'RUN': {
      const mounts = raw.mounts.map((value): ResolvedMount => {
        try {
          const { from, ...mount } = parseMount(value, word);
          return { ...mount, ...(from !== undefined ? { from: ctx.source(from, src.line, kind, false) } : {}) };
        } catch (err) {
          if (err instanceof MountError) throw fail(`--mount=${value}: ${err.message}`);
          throw err;
        }
      });
      return {
        kind: raw.kind,
        ...src,
        form: raw.form,
        command: raw.command,
        heredocs: raw.heredocs.map((h) => ({ name: h.name, content: h.content, chomp: h.chomp })),
        mounts,
        ...(raw.network !== undefined ? { network: raw.network } : {}),
        ...(raw.security !== undefined ? { security: raw.security } : {}),
        env: scope.envList(),
        argsInScope: scope.argsInScope(),
      };
    }
    case 'CMD':
    case 'ENTRYPOINT':
      return { kind: raw.kind, ...src, form: raw.form, command: raw.command };
    case 'COPY':
    case 'ADD': {
      const chmod = raw.chmod === undefined ? undefined : word(raw.chmod);
      if (chmod !== undefined && !(/^[0-7]+$/.test(chmod) && Number.parseInt(chmod, 8) <= 0o7777)) {
        throw fail(`invalid chmod parameter: '${chmod}'. it should be octal string and between 0 and 07777`);
      }
      const inline = raw.inline.map((file) => {
        if (!file.expand) return { name: file.name, content: file.content };
        try {
          return { name: file.name, content: expandWord(file.content, vars, { literalQuotes: true }) };
        } catch (err) {
          if (err instanceof ExpansionError) throw fail(`heredoc <<${file.name}: ${err.message}`);
          throw err;
        }
      });
      const common = {
        ...src,
        sources: raw.sources.map(word),
        inline,
        dest: word(raw.dest),
        link: raw.link,
        ...(raw.chown !== undefined ? { chown: word(raw.chown) } : {}),
        ...(chmod !== undefined ? { chmod } : {}),
      };
      if (raw.kind === 'COPY') {
        const from = raw.from === undefined || raw.from === '' ? undefined : ctx.source(raw.from, src.line, kind, true);
        return { kind: 'COPY', ...common, ...(from ? { from } : {}) };
      }
      return {
        kind: 'ADD',
        ...common,
        keepGitDir: raw.keepGitDir,
        ...(raw.checksum !== undefined ? { checksum: word(raw.checksum) } : {}),
      };
    }
    case 'ENV': {
      const pairs = raw.pairs.map((p): KeyValue => ({ key: word(p.key), value: word(p.value) }));
      for (const p of pairs) scope.env.set(p.key, p.value);
      return { kind: 'ENV', ...src, pairs };
    }
    case 'LABEL':
      return { kind: 'LABEL', ...src, pairs: raw.pairs.map((p) => ({ key: word(p.key), value: word(p.value) })) };
    case 'ARG': {
      const args = raw.args.map((arg) => {
        let value = arg.value;
        const given = ctx.buildArgs.get(arg.key);
        if (given !== undefined) value = given;
        else if (value !== undefined) {
          try {
            value = expandWord(value, scope.env, { escape: ctx.escape });
          } catch (err) {
            if (err instanceof ExpansionError) throw fail(err.message);
            throw err;
          }
        } else value = ctx.globals.get(arg.key);
        if (value !== undefined) scope.env.set(arg.key, value);
        scope.args.push(value !== undefined ? { key: arg.key, value } : { key: arg.key });
        return value !== undefined ? { key: arg.key, value } : { key: arg.key };
      });
      return { kind: 'ARG', ...src, args };
    }
    case 'WORKDIR': {
      const path = word(raw.path);
      if (path === '') throw fail(`the path is empty after substitution (${raw.path})`);
      return { kind: 'WORKDIR', ...src, path };
    }
    case 'USER':
      return { kind: 'USER', ...src, user: word(raw.user) };
    case 'STOPSIGNAL': {
      const signal = word(raw.signal);
      if (!/^(SIG)?RTM(IN|AX)([+-]\d+)?$/i.test(signal)) {
        try {
          parseSignal(signal);
        } catch {
          throw fail(`invalid signal "${signal}"`);
        }
      }
      return { kind: 'STOPSIGNAL', ...src, signal };
    }
    case 'EXPOSE': {
      const ports: string[] = [];
      for (const spec of raw.ports) {
        let specs: string[];
        try {
          specs = expandWords(spec, vars, { escape: ctx.escape });
        } catch (err) {
          if (err instanceof ExpansionError) throw fail(err.message);
          throw err;
        }
        for (const s of specs) {
          try {
            ports.push(...exposedPorts(s));
          } catch (err) {
            throw fail((err as Error).message);
          }
        }
      }
      return { kind: 'EXPOSE', ...src, ports };
    }
    case 'VOLUME': {
      const volumes = raw.volumes.map(word);
      if (volumes.includes('')) throw fail('VOLUME specified can not be an empty string');
      return { kind: 'VOLUME', ...src, volumes };
    }
    case 'SHELL':
      return { kind: 'SHELL', ...src, shell: raw.shell };
    case 'HEALTHCHECK': {
      const { src: _src, ...health } = raw;
      return { ...health, ...src };
    }
    case 'ONBUILD':
      return { kind: 'ONBUILD', ...src, expression: raw.expression };
    case 'MAINTAINER':
      return { kind: 'MAINTAINER', ...src, maintainer: raw.maintainer };
  }
}
