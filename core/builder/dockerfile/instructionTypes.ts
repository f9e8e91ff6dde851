/**
 * What the Dockerfile front end hands the builder: stages of typed instructions whose
 * arguments are already substituted where Docker substitutes (RUN, CMD and ENTRYPOINT are not:
 * the shell does that). Every instruction keeps where it was written and its text.
 */
import type { Platform } from '../../oci/descriptor.js';
import type { EscapeChar } from './logicalLines.js';
import type { RunMount } from './runMount.js';

export interface SourceText {
  /** 1-based line of the instruction (its first line when continued). */
  line: number;
  /** Its last line, continuations and heredoc bodies included. */
  endLine: number;
  /** The instruction as written, continuations joined (Docker's text for `Step N/M: …`). */
  original: string;
  /** Set when the instruction is an ONBUILD trigger of the base, run right after FROM. */
  onBuild?: true;
}

export interface KeyValue {
  key: string;
  value: string;
}

/** Shell form is run by the SHELL (`/bin/sh -c`), exec form as the argv given. */
export type CommandForm = 'shell' | 'exec';

/** A heredoc handed to RUN: the body as written (RUN bodies are never substituted). */
export interface RunHeredoc {
  name: string;
  content: string;
  /** `<<-`: leading tabs are to be removed from the body. */
  chomp: boolean;
}

export interface RunInstruction extends SourceText {
  kind: 'RUN';
  form: CommandForm;
  /** Exec form: the argv. Shell form: one string, the command line (without heredoc bodies). */
  command: string[];
  heredocs: RunHeredoc[];
  mounts: ResolvedMount[];
  network?: 'default' | 'none' | 'host';
  security?: 'sandbox' | 'insecure';
  /**
   * The environment the command runs with, as BuildKit gives it: the base image's Env (with
   * PATH defaulted), then every ENV and every ARG value in scope, in order (a later ARG of the
   * same name wins over an earlier ENV, and a later ENV over an ARG). Proxy build args are
   * apart, in `Dockerfile.proxyEnv`.
   */
  env: string[];
  /** The ARGs in scope with their values, for the history's `RUN |N K=V …` prefix. */
  argsInScope: KeyValue[];
}

/** A RUN mount with its `from=` resolved to an earlier stage or an image. */
export type ResolvedMount = Omit<RunMount, 'from'> & { from?: CopySource };

export interface CmdInstruction extends SourceText {
  kind: 'CMD';
  form: CommandForm;
  command: string[];
}

export interface EntrypointInstruction extends SourceText {
  kind: 'ENTRYPOINT';
  form: CommandForm;
  command: string[];
}

/** Where COPY --from (or a RUN mount's from=) takes its files: an earlier stage or an image. */
export type CopySource = { kind: 'stage'; index: number } | { kind: 'image'; ref: string };

/** A `COPY <<EOF /dest` body: written to a file named `name`, substituted unless quoted. */
export interface InlineFile {
  name: string;
  content: string;
}

interface CopyOrAdd extends SourceText {
  /** Source paths or patterns (ADD: also URLs), substituted. */
  sources: string[];
  /** Heredoc sources, after the paths. */
  inline: InlineFile[];
  dest: string;
  chown?: string;
  /** Octal mode as written (`755`), validated. */
  chmod?: string;
  link: boolean;
}

export interface CopyInstruction extends CopyOrAdd {
  kind: 'COPY';
  from?: CopySource;
}

export interface AddInstruction extends CopyOrAdd {
  kind: 'ADD';
  keepGitDir: boolean;
  checksum?: string;
}

export interface EnvInstruction extends SourceText {
  kind: 'ENV';
  pairs: KeyValue[];
}

export interface LabelInstruction extends SourceText {
  kind: 'LABEL';
  pairs: KeyValue[];
}

export interface ArgInstruction extends SourceText {
  kind: 'ARG';
  /** Each declared name with its resolved value (--build-arg, else its default, else the global one). */
  args: { key: string; value?: string }[];
}

export interface WorkdirInstruction extends SourceText {
  kind: 'WORKDIR';
  /** As substituted; relative paths are relative to the previous WORKDIR (see configRules). */
  path: string;
}

export interface UserInstruction extends SourceText {
  kind: 'USER';
  user: string;
}

export interface ExposeInstruction extends SourceText {
  kind: 'EXPOSE';
  /** `80/tcp`, `53/udp` … in Docker's order. */
  ports: string[];
}

export interface VolumeInstruction extends SourceText {
  kind: 'VOLUME';
  volumes: string[];
}

export interface ShellInstruction extends SourceText {
  kind: 'SHELL';
  shell: string[];
}

export interface StopSignalInstruction extends SourceText {
  kind: 'STOPSIGNAL';
  signal: string;
}

export interface HealthcheckInstruction extends SourceText {
  kind: 'HEALTHCHECK';
  /** `["NONE"]`, `["CMD", argv…]` or `["CMD-SHELL", command]`, as the image config has it. */
  test: string[];
  /** Nanoseconds, as the image config has them; 0 = Docker's default. */
  interval: number;
  timeout: number;
  startPeriod: number;
  startInterval: number;
  retries: number;
}

export interface OnbuildInstruction extends SourceText {
  kind: 'ONBUILD';
  /** The trigger as written, to be stored in the image config and replayed by its children. */
  expression: string;
}

export interface MaintainerInstruction extends SourceText {
  kind: 'MAINTAINER';
  maintainer: string;
}

export type Instruction =
  | RunInstruction
  | CmdInstruction
  | EntrypointInstruction
  | CopyInstruction
  | AddInstruction
  | EnvInstruction
  | LabelInstruction
  | ArgInstruction
  | WorkdirInstruction
  | UserInstruction
  | ExposeInstruction
  | VolumeInstruction
  | ShellInstruction
  | StopSignalInstruction
  | HealthcheckInstruction
  | OnbuildInstruction
  | MaintainerInstruction;

export type InstructionKind = Instruction['kind'];

export type StageBase = { kind: 'scratch' } | { kind: 'image'; ref: string } | { kind: 'stage'; index: number };

export interface FromLine extends Omit<SourceText, 'onBuild'> {
  /** The base name after substitution with the global ARGs. */
  image: string;
  /** `--platform` after substitution, parsed. */
  platform?: Platform;
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased as Docker does. */
  name?: string;
  from: FromLine;
  base: StageBase;
  instructions: Instruction[];
  /** Earlier stages this one needs: its base, COPY --from, RUN --mount from=. Sorted. */
  dependencies: number[];
  /** Images this one reads besides its base: COPY --from=image, mounts from images. */
  imageSources: string[];
  /**
   * Set when a variable substitution in this stage failed while the stage is not needed for
   * the chosen target (Docker does not evaluate such stages); its instructions stop there.
   */
  invalid?: string;
}

export interface ResolvedArg {
  key: string;
  value?: string;
}

export interface Dockerfile {
  escape: EscapeChar;
  syntax?: string;
  /** ARGs declared before the first FROM, resolved: usable in FROM lines, and by `ARG NAME` in a stage. */
  globalArgs: ResolvedArg[];
  stages: Stage[];
  /** The stage built: --target, else the last one. */
  target: number;
  /** The stages a target needs, in an order that builds each after what it needs. */
  stagesFor(target?: string | number): Stage[];
  /** Predefined proxy build args given (HTTP_PROXY …): in RUN's environment, never in history. */
  proxyEnv: string[];
  /** --build-arg names no ARG declares (Docker warns that they were not consumed). */
  unusedBuildArgs: string[];
  warnings: string[];
}
