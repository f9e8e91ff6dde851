/**
 * Docker's rules for the image config and history, as pure functions the builder calls once
 * per instruction: shell form → SHELL + the line, ENTRYPOINT resetting an inherited CMD, WORKDIR
 * relative to the previous one, PATH defaulted, `empty_layer` for metadata-only steps, and the
 * `created_by` text BuildKit writes.
 */

import { DEFAULT_PATH } from '../../oci/config.js';
import { cleanPath } from '../../text/cleanPath.js';
import { chompHeredoc, heredocMarker } from './heredoc.js';
import {
  argCreatedBy,
  cmdCreatedBy,
  copyCreatedBy,
  entrypointCreatedBy,
  envCreatedBy,
  exposeCreatedBy,
  healthcheckCreatedBy,
  labelCreatedBy,
  runCreatedBy,
  shellCreatedBy,
  volumeCreatedBy,
} from './historyText.js';
import type { CommandForm, Instruction, RunInstruction } from './instructionTypes.js';

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];
export const HISTORY_COMMENT = 'buildkit.dockerfile.v0';

export interface HealthConfig {
  Test: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** The `config` object of an image config, with the fields a Dockerfile sets. */
export interface RunConfig {
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ArgsEscaped?: boolean;
  Shell?: string[];
  Healthcheck?: HealthConfig;
  OnBuild?: string[] | null;
  [other: string]: unknown;
}

export interface StageImage {
  config: RunConfig;
  /** The image config's `author` (MAINTAINER). */
  author?: string;
  /** Whether this stage has set CMD itself (ENTRYPOINT then keeps it). */
  cmdSetInStage: boolean;
}

export interface HistoryLine {
  created_by: string;
  comment: string;
  empty_layer?: true;
}

/** A file a RUN heredoc becomes when its body starts with `#!`: mounted read-only and executed. */
export interface InlineScript {
  path: string;
  content: string;
  mode: number;
}

/**
 * The config a stage starts from: its base image's (or base stage's) config, PATH defaulted,
 * the base's ONBUILD triggers consumed (they ran in this stage), CMD not yet set here.
 */
export function beginStage(base?: { config?: RunConfig | null; author?: string }): StageImage {
  const config = structuredClone(base?.config ?? {}) as RunConfig;
  if (!(config.Env ?? []).some((e) => e.startsWith('PATH='))) config.Env = [...(config.Env ?? []), `PATH=${DEFAULT_PATH}`];
  delete config.OnBuild;
  return { config, ...(base?.author !== undefined ? { author: base.author } : {}), cmdSetInStage: false };
}

/** Shell form runs as the SHELL (default `/bin/sh -c`) with the whole line as one argument. */
export function commandArgs(form: CommandForm, command: readonly string[], shell?: readonly string[] | null): string[] {
  if (form === 'exec') return [...command];
  return [...(shell && shell.length > 0 ? shell : DEFAULT_SHELL), command.join(' ')];
}

/**
 * What a RUN executes, heredocs included, as BuildKit does it: `RUN <<EOF` alone runs the body
 * with the shell (or, when it starts with `#!`, as an executable file at /dev/pipes/EOF);
 * anything else (`RUN python3 <<EOF`) hands the shell the line with the bodies re-attached.
 */
export function runInvocation(
  run: RunInstruction,
  shell?: readonly string[] | null,
): { args: string[]; scripts: InlineScript[] } {
  let command = run.command;
  const scripts: InlineScript[] = [];
  const first = run.heredocs[0];
  if (first && run.form === 'shell') {
    if (heredocMarker(command[0] ?? '')) {
      const body = first.chomp ? chompHeredoc(first.content) : first.content;
      if (first.content.startsWith('#!')) {
        const path = `/dev/pipes/${first.name}`;
        scripts.push({ path, content: body, mode: 0o755 });
        command = [path];
      } else {
        command = [body];
      }
    } else {
      command = [command[0] + run.heredocs.map((h) => `\n${h.content}${h.name}`).join('')];
    }
  }
  return { args: commandArgs(run.form, command, shell), scripts };
}

/** WORKDIR: absolute paths are cleaned, relative ones join the current working directory. */
export function resolveWorkdir(current: string | undefined, path: string): string {
  return path.startsWith('/') ? cleanPath(path) : cleanPath(`/${current ?? ''}/${path}`);
}

function history(createdBy: string, layer: boolean): HistoryLine {
  return { created_by: createdBy, comment: HISTORY_COMMENT, ...(layer ? {} : { empty_layer: true as const }) };
}

function setEnv(env: readonly string[] | undefined, key: string, value: string): string[] {
  const out = [...(env ?? [])];
  const at = out.findIndex((e) => e.split('=', 1)[0] === key);
  if (at >= 0) out[at] = `${key}=${value}`;
  else out.push(`${key}=${value}`);
  return out;
}

/**
 * Applies one instruction to the stage's config and returns its history line (ONBUILD writes
 * none). RUN, COPY and ADD change no config: the builder makes their layer.
 */
export function applyInstruction(stage: StageImage, instruction: Instruction): { stage: StageImage; history?: HistoryLine } {
  const config: RunConfig = { ...stage.config };
  const next = (changes: Partial<StageImage> = {}): StageImage => ({ ...stage, config, ...changes });
  switch (instruction.kind) {
    case 'RUN': {
      const { args } = runInvocation(instruction, stage.config.Shell);
      return { stage, history: history(runCreatedBy(args, instruction.argsInScope), true) };
    }
    case 'COPY':
    case 'ADD':
      return { stage, history: history(copyCreatedBy(instruction), true) };
    case 'ENV': {
      let env = config.Env;
      for (const p of instruction.pairs) env = setEnv(env, p.key, p.value);
      config.Env = env ?? [];
      return { stage: next(), history: history(envCreatedBy(instruction.pairs), false) };
    }
    case 'LABEL': {
      config.Labels = { ...(config.Labels ?? {}) };
      for (const p of instruction.pairs) config.Labels[p.key] = p.value;
      return { stage: next(), history: history(labelCreatedBy(instruction.pairs), false) };
    }
    case 'ARG':
      return { stage, history: history(argCreatedBy(instruction.args), false) };
    case 'CMD': {
      const args = commandArgs(instruction.form, instruction.command, config.Shell);
      config.Cmd = args;
      config.ArgsEscaped = true;
      return { stage: next({ cmdSetInStage: true }), history: history(cmdCreatedBy(args), false) };
    }
    case 'ENTRYPOINT': {
      const args = commandArgs(instruction.form, instruction.command, config.Shell);
      // BuildKit's nil or empty slice is left out of its JSON (`omitempty`), never `null`.
      if (args.length > 0) config.Entrypoint = args;
      else delete config.Entrypoint;
      if (!stage.cmdSetInStage) delete config.Cmd;
      return { stage: next(), history: history(entrypointCreatedBy(args), false) };
    }
    case 'WORKDIR': {
      const dir = resolveWorkdir(config.WorkingDir, instruction.path);
      config.WorkingDir = dir;
      return { stage: next(), history: history(`WORKDIR ${dir}`, dir !== '/') };
    }
    case 'USER':
      config.User = instruction.user;
      return { stage: next(), history: history(`USER ${instruction.user}`, false) };
    case 'EXPOSE': {
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}) };
      for (const p of instruction.ports) config.ExposedPorts[p] = {};
      return { stage: next(), history: history(exposeCreatedBy(instruction.ports), false) };
    }
    case 'VOLUME': {
      config.Volumes = { ...(config.Volumes ?? {}) };
      for (const v of instruction.volumes) config.Volumes[v] = {};
      return { stage: next(), history: history(volumeCreatedBy(instruction.volumes), false) };
    }
    case 'STOPSIGNAL':
      config.StopSignal = instruction.signal;
      return { stage: next(), history: history(`STOPSIGNAL ${instruction.signal}`, false) };
    case 'SHELL':
      config.Shell = [...instruction.shell];
      return { stage: next(), history: history(shellCreatedBy(instruction.shell), false) };
    case 'HEALTHCHECK': {
      const h = instruction;
      config.Healthcheck = {
        Test: [...h.test],
        ...(h.interval ? { Interval: h.interval } : {}),
        ...(h.timeout ? { Timeout: h.timeout } : {}),
        ...(h.startPeriod ? { StartPeriod: h.startPeriod } : {}),
        ...(h.startInterval ? { StartInterval: h.startInterval } : {}),
        ...(h.retries ? { Retries: h.retries } : {}),
      };
      return { stage: next(), history: history(healthcheckCreatedBy(h), false) };
    }
    case 'ONBUILD':
      config.OnBuild = [...(config.OnBuild ?? []), instruction.expression];
      return { stage: next() };
    case 'MAINTAINER':
      return { stage: next({ author: instruction.maintainer }), history: history(`MAINTAINER ${instruction.maintainer}`, false) };
  }
}
