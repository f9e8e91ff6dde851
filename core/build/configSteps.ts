import { posix } from 'node:path';
import type { HistoryEntry, ImageConfig } from '../oci/config.js';
import type { Instruction, RunInstruction } from './dockerfile/instructionTypes.js';
import type { StepProcess } from './stepContainer.js';

type Config = NonNullable<ImageConfig['config']> & {
  Shell?: string[];
  OnBuild?: string[];
  Healthcheck?: Record<string, unknown>;
};

const DEFAULT_SHELL = ['/bin/sh', '-c'];

export function shellOf(config: ImageConfig): string[] {
  return ((config.config as Config | undefined)?.Shell ?? DEFAULT_SHELL).slice();
}

/** Shell form runs through the SHELL, exec form as written. */
function argv(config: ImageConfig, form: 'shell' | 'exec', command: string[]): string[] {
  return form === 'shell' ? [...shellOf(config), command.join(' ')] : command;
}

function setEnv(env: string[], key: string, value: string): string[] {
  const entry = `${key}=${value}`;
  const at = env.findIndex((e) => e.split('=', 1)[0] === key);
  return at === -1 ? [...env, entry] : env.map((e, i) => (i === at ? entry : e));
}

/**
 * An instruction's effect on the image config, by Docker's rules (metadata instructions; RUN and
 * COPY add layers elsewhere). `cmdSet`: whether CMD was set in this stage, since ENTRYPOINT resets
 * a CMD inherited from the base but not one the stage set itself.
 */
export function applyMetadata(image: ImageConfig, instruction: Instruction, cmdSet = true): ImageConfig {
  const config: Config = { ...((image.config as Config | undefined) ?? {}) };
  switch (instruction.kind) {
    case 'ENV':
      for (const { key, value } of instruction.pairs) config.Env = setEnv(config.Env ?? [], key, value);
      break;
    case 'LABEL':
      config.Labels = { ...(config.Labels ?? {}), ...Object.fromEntries(instruction.pairs.map((p) => [p.key, p.value])) };
      break;
    case 'WORKDIR':
      config.WorkingDir = posix.resolve(config.WorkingDir || '/', instruction.path);
      break;
    case 'USER':
      config.User = instruction.user;
      break;
    case 'EXPOSE':
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}), ...Object.fromEntries(instruction.ports.map((p) => [p, {}])) };
      break;
    case 'VOLUME':
      config.Volumes = { ...(config.Volumes ?? {}), ...Object.fromEntries(instruction.volumes.map((v) => [v, {}])) };
      break;
    case 'CMD':
      config.Cmd = argv(image, instruction.form, instruction.command);
      break;
    case 'ENTRYPOINT':
      config.Entrypoint = argv(image, instruction.form, instruction.command);
      if (!cmdSet) config.Cmd = null;
      break;
    case 'SHELL':
      config.Shell = instruction.shell;
      break;
    case 'STOPSIGNAL':
      config.StopSignal = instruction.signal;
      break;
    case 'HEALTHCHECK':
      config.Healthcheck =
        instruction.test[0] === 'NONE'
          ? { Test: ['NONE'] }
          : {
              Test: instruction.test,
              ...(instruction.interval ? { Interval: instruction.interval } : {}),
              ...(instruction.timeout ? { Timeout: instruction.timeout } : {}),
              ...(instruction.startPeriod ? { StartPeriod: instruction.startPeriod } : {}),
              ...(instruction.startInterval ? { StartInterval: instruction.startInterval } : {}),
              ...(instruction.retries ? { Retries: instruction.retries } : {}),
            };
      break;
    case 'ONBUILD':
      config.OnBuild = [...(config.OnBuild ?? []), instruction.expression];
      break;
    case 'MAINTAINER':
      return { ...image, author: instruction.maintainer };
    default:
      return image;
  }
  return { ...image, config };
}

/** The process a RUN step runs: its command (heredocs as the shell takes them), env, user, directory. */
export function processFor(image: ImageConfig, run: RunInstruction): StepProcess {
  let args: string[];
  if (run.form === 'exec') args = run.command;
  else {
    const line = run.command.join(' ');
    const only = /^\s*<<-?(["']?)(\w+)\1\s*$/.exec(line);
    const body = (h: RunInstruction['heredocs'][number]) => (h.chomp ? h.content.replace(/^\t+/gm, '') : h.content);
    if (only && run.heredocs.length === 1) args = [...shellOf(image), body(run.heredocs[0]!)];
    else {
      // The shell reads the heredocs itself, given back after the command line.
      const docs = run.heredocs.map((h) => `${body(h)}${body(h).endsWith('\n') ? '' : '\n'}${h.name}\n`).join('');
      args = [...shellOf(image), docs ? `${line}\n${docs}` : line];
    }
  }
  const network = run.network === 'none' ? 'none' : run.network === 'host' ? 'host' : 'bridge';
  return { args, env: run.env, workingDir: image.config?.WorkingDir || '/', user: image.config?.User ?? '', network };
}

/** History as BuildKit writes it: `RUN /bin/sh -c make # buildkit`, `ENV A=1`, `COPY . /src # buildkit`. */
export function historyEntry(instruction: Instruction, created: string, emptyLayer: boolean): HistoryEntry {
  let createdBy: string;
  switch (instruction.kind) {
    case 'RUN': {
      const args =
        instruction.argsInScope.length > 0
          ? `|${instruction.argsInScope.length} ${instruction.argsInScope.map((a) => `${a.key}=${a.value}`).join(' ')} `
          : '';
      const command =
        instruction.form === 'shell' ? `/bin/sh -c ${instruction.command.join(' ')}` : instruction.command.join(' ');
      createdBy = `RUN ${args}${command} # buildkit`;
      break;
    }
    case 'COPY':
    case 'ADD':
      createdBy = `${instruction.original.replace(/\s+/g, ' ').trim()} # buildkit`;
      break;
    case 'ENV':
      createdBy = `ENV ${instruction.pairs.map((p) => `${p.key}=${p.value}`).join(' ')}`;
      break;
    case 'LABEL':
      createdBy = `LABEL ${instruction.pairs.map((p) => `${p.key}=${p.value}`).join(' ')}`;
      break;
    case 'CMD':
    case 'ENTRYPOINT':
      createdBy = `${instruction.kind} ${JSON.stringify(instruction.command)}`;
      break;
    default:
      createdBy = instruction.original.replace(/\s+/g, ' ').trim();
  }
  return { created, created_by: createdBy, comment: 'buildkit.dockerfile.v0', ...(emptyLayer ? { empty_layer: true } : {}) };
}
