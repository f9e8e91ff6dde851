/**
 * The Dockerfile front end: text → stages of typed, substituted instructions, following
 * BuildKit's dockerfile frontend. Pure: it reads nothing and runs nothing.
 *
 * Substitution sees the base image's Env (`WORKDIR $GOPATH/src`) only if the caller says what it
 * is. A builder therefore asks `baseImages` which images the build needs (the FROM lines depend
 * on the global ARGs alone; no instruction is evaluated), resolves them, then parses with
 * `baseImage` answering from their configs; the same callback supplies the base's ONBUILD
 * triggers, run right after FROM.
 */

import { isStevedoreError } from '../../errors.js';
import type { Platform } from '../../oci/descriptor.js';
import { hostPlatform, parsePlatform } from '../../oci/platform.js';
import { parseReference } from '../../oci/reference.js';
import { BuildScope } from './buildScope.js';
import { dockerfileError, dockerfileProblem } from './dockerfileError.js';
import { type EvaluationContext, evaluateInstruction } from './evaluateInstructions.js';
import type { CopySource, Dockerfile, FromLine, Instruction, ResolvedArg, Stage, StageBase } from './instructionTypes.js';
import { type EscapeChar, type LogicalLine, lexDockerfile } from './logicalLines.js';
import { parseInstruction, type RawInstruction } from './parseInstruction.js';
import { platformArgNames, platformArgs, proxyArgNames } from './platformArgs.js';
import { MountError, mountSource } from './runMount.js';
import { stagesNeeded } from './stageGraph.js';
import { ExpansionError, expandWord } from './wordExpansion.js';

/** What the builder knows of a base image once it has it: its config's Env and OnBuild. */
export interface BaseImageFacts {
  env?: readonly string[];
  onBuild?: readonly string[];
}

export interface ParseOptions {
  /** --build-arg values; they only change ARGs the Dockerfile declares. */
  buildArgs?: Record<string, string>;
  /** --target: the stage to build (by name); default the last stage. */
  target?: string;
  /** The platform built for (TARGET* ARGs); default this machine's. */
  platform?: Platform;
  /** The platform building (BUILD* ARGs); default this machine's. */
  buildPlatform?: Platform;
  /** The base image's Env and ONBUILD triggers, when known (see the module comment). */
  baseImage?: (ref: string, platform: Platform | undefined) => BaseImageFacts | undefined;
}

type RawStep = Exclude<RawInstruction, { kind: 'FROM' }>;

interface StageDraft {
  index: number;
  name?: string;
  from: FromLine;
  base: StageBase;
  steps: RawStep[];
}

/** What parsing settles before any instruction is evaluated: the stages, their graph, the target. */
interface StagePlan {
  escape: EscapeChar;
  syntax?: string;
  warnings: string[];
  buildArgs: Map<string, string>;
  globals: Map<string, string>;
  globalArgs: ResolvedArg[];
  drafts: StageDraft[];
  resolve: SourceResolver;
  dependencies: { dependencies: number[]; imageSources: string[] }[];
  target: number;
  needed: Set<number>;
}

function planStages(text: string, options: ParseOptions): StagePlan {
  const lexed = lexDockerfile(text);
  if (lexed.lines.length === 0) throw dockerfileProblem('file with no instructions');
  const raw = lexed.lines.map((line) => parseInstruction(line, lexed.escape));
  const buildArgs = new Map(Object.entries(options.buildArgs ?? {}));

  const firstFrom = raw.findIndex((r) => r.kind === 'FROM');
  const before = firstFrom < 0 ? raw : raw.slice(0, firstFrom);
  const stray = before.find((r) => r.kind !== 'ARG');
  if (stray) {
    throw dockerfileError(
      stray.src.line,
      stray.kind,
      'no build stage yet: a Dockerfile must start with FROM (only ARG and parser directives may come before it)',
    );
  }
  if (firstFrom < 0) throw dockerfileProblem('no FROM instruction: there is no stage to build');

  const { globals, globalArgs } = resolveGlobalArgs(before, buildArgs, options);
  const drafts = draftStages(raw.slice(firstFrom), globals, options);
  const resolve = sourceResolver(drafts);
  const dependencies = drafts.map((draft) => stageDependencies(draft, resolve));
  const target = targetIndex(drafts, options.target);
  const needed = new Set(stagesNeeded(dependencies, target));
  return {
    escape: lexed.escape,
    ...(lexed.syntax !== undefined ? { syntax: lexed.syntax } : {}),
    warnings: lexed.warnings,
    buildArgs,
    globals,
    globalArgs,
    drafts,
    resolve,
    dependencies,
    target,
    needed,
  };
}

/**
 * The images a build of the target reads, without evaluating any instruction: the FROM images of
 * the stages it needs, then the images they COPY --from or mount; each once, in stage order.
 * Given `baseImage`, the base images' ONBUILD triggers count too (they may COPY --from an image,
 * or a stage that is otherwise not needed), so a caller resolves these, asks again with
 * `baseImage` answering, and resolves any new ones until there are none.
 */
export function baseImages(text: string, options: ParseOptions = {}): string[] {
  return [...new Set(baseImageUses(text, options).map((use) => use.ref))];
}

/**
 * `baseImages` with the platform each is read for: a stage's `FROM --platform=`, else none (the
 * build's). An image read for two platforms is listed for each.
 */
export function baseImageUses(text: string, options: ParseOptions = {}): { ref: string; platform?: Platform }[] {
  const { drafts, dependencies, needed } = planStages(text, options);
  const uses = new Map<string, { ref: string; platform?: Platform }>();
  const add = (ref: string, platform: Platform | undefined) => {
    const key = `${ref}|${platform ? JSON.stringify(platform) : ''}`;
    if (!uses.has(key)) uses.set(key, { ref, ...(platform ? { platform } : {}) });
  };
  for (const index of needed) {
    const draft = drafts[index] as StageDraft;
    if (draft.base.kind === 'image') add(draft.base.ref, draft.from.platform);
  }
  for (const index of needed) for (const ref of dependencies[index]?.imageSources ?? []) add(ref, undefined);
  return [...uses.values()];
}

export function parseDockerfile(text: string, options: ParseOptions = {}): Dockerfile {
  const plan = planStages(text, options);
  const { buildArgs, globals, globalArgs, drafts, resolve, dependencies, target, needed } = plan;
  const declared = new Set<string>(globalArgs.map((a) => a.key));
  for (const draft of drafts) {
    for (const step of draft.steps) if (step.kind === 'ARG') for (const a of step.args) declared.add(a.key);
  }

  const ctx = (index: number): EvaluationContext => ({
    escape: plan.escape,
    buildArgs,
    globals,
    source: (from, line, kind, byIndex) => resolve(from, index, line, kind, byIndex),
  });
  const finalScopes: BuildScope[] = [];
  const stages: Stage[] = drafts.map((draft, index) => {
    const deps = dependencies[index] as StagePlan['dependencies'][number];
    const base = draft.base;
    const parentScope = base.kind === 'stage' ? finalScopes[base.index] : undefined;
    const scope = parentScope
      ? parentScope.clone()
      : BuildScope.fromImageEnv(base.kind === 'image' ? options.baseImage?.(base.ref, draft.from.platform)?.env : []);
    const instructions: Instruction[] = [];
    let invalid: string | undefined;
    for (const step of draft.steps) {
      try {
        instructions.push(evaluateInstruction(step, scope, ctx(index)));
      } catch (err) {
        if (needed.has(index) || !isStevedoreError(err)) throw err;
        invalid = err.message;
        break;
      }
    }
    finalScopes[index] = scope;
    return {
      index,
      ...(draft.name !== undefined ? { name: draft.name } : {}),
      from: draft.from,
      base,
      instructions,
      ...deps,
      ...(invalid !== undefined ? { invalid } : {}),
    };
  });

  const stagesFor = (which?: string | number): Stage[] => {
    const index = typeof which === 'number' ? which : which === undefined ? target : targetIndex(drafts, which);
    if (!stages[index]) throw dockerfileProblem(`there is no stage ${index}`);
    return stagesNeeded(stages, index).map((i) => stages[i] as Stage);
  };

  return {
    escape: plan.escape,
    ...(plan.syntax !== undefined ? { syntax: plan.syntax } : {}),
    globalArgs,
    stages,
    target,
    stagesFor,
    proxyEnv: [...buildArgs].filter(([k]) => proxyArgNames.has(k)).map(([k, v]) => `${k}=${v}`),
    unusedBuildArgs: [...buildArgs.keys()].filter(
      (k) => !declared.has(k) && !proxyArgNames.has(k) && !(platformArgNames as readonly string[]).includes(k),
    ),
    warnings: plan.warnings,
  };
}

/** ARGs before the first FROM, over the automatic platform ARGs; --build-arg wins over defaults. */
function resolveGlobalArgs(
  args: RawInstruction[],
  buildArgs: ReadonlyMap<string, string>,
  options: ParseOptions,
): { globals: Map<string, string>; globalArgs: ResolvedArg[] } {
  const host = hostPlatform();
  const globals = platformArgs(options.platform ?? host, options.buildPlatform ?? host);
  for (const name of platformArgNames) {
    const given = buildArgs.get(name);
    if (given !== undefined) globals.set(name, given);
  }
  const globalArgs: ResolvedArg[] = [];
  for (const instruction of args) {
    if (instruction.kind !== 'ARG') continue;
    for (const arg of instruction.args) {
      let value = buildArgs.get(arg.key);
      if (value === undefined && arg.value !== undefined) {
        try {
          value = expandWord(arg.value, globals);
        } catch (err) {
          if (err instanceof ExpansionError) throw dockerfileError(instruction.src.line, 'ARG', err.message);
          throw err;
        }
      }
      if (value !== undefined) globals.set(arg.key, value);
      globalArgs.push(value !== undefined ? { key: arg.key, value } : { key: arg.key });
    }
  }
  return { globals, globalArgs };
}

/** Splits the instructions into stages and resolves each FROM with the global ARGs. */
function draftStages(raw: RawInstruction[], globals: ReadonlyMap<string, string>, options: ParseOptions): StageDraft[] {
  const drafts: StageDraft[] = [];
  const names = new Map<string, number>();
  for (const instruction of raw) {
    if (instruction.kind !== 'FROM') {
      (drafts[drafts.length - 1] as StageDraft).steps.push(instruction);
      continue;
    }
    const line = instruction.src.line;
    const expandFrom = (word: string) => {
      try {
        return expandWord(word, globals);
      } catch (err) {
        if (err instanceof ExpansionError) throw dockerfileError(line, 'FROM', err.message);
        throw err;
      }
    };
    const image = expandFrom(instruction.image);
    if (image === '') throw dockerfileError(line, 'FROM', `base name (${instruction.image}) should not be blank`);
    let platform: Platform | undefined;
    if (instruction.platform !== undefined && instruction.platform !== '') {
      const text = expandFrom(instruction.platform);
      if (text === '') throw dockerfileError(line, 'FROM', `empty platform value from expression ${instruction.platform}`);
      try {
        platform = parsePlatform(text);
      } catch (err) {
        throw dockerfileError(line, 'FROM', `--platform=${text}: ${(err as Error).message}`);
      }
    }
    const earlier = names.get(image.toLowerCase());
    let base: StageBase;
    if (earlier !== undefined) base = { kind: 'stage', index: earlier };
    else if (image === 'scratch') base = { kind: 'scratch' };
    else {
      checkReference(image, line, 'FROM');
      base = { kind: 'image', ref: image };
    }
    if (instruction.name !== undefined) {
      const first = names.get(instruction.name);
      if (first !== undefined) {
        const firstLine = drafts[first]?.from.line;
        throw dockerfileError(
          line,
          'FROM',
          `duplicate stage name "${instruction.name}" (already used by the stage at line ${firstLine})`,
        );
      }
      names.set(instruction.name, drafts.length);
    }
    const index = drafts.length;
    const from: FromLine = { ...instruction.src, image, ...(platform ? { platform } : {}) };
    const draft: StageDraft = {
      index,
      ...(instruction.name !== undefined ? { name: instruction.name } : {}),
      from,
      base,
      steps: [],
    };
    drafts.push(draft);
  }
  for (const draft of drafts) draft.steps.unshift(...onBuildTriggers(draft, drafts, options));
  return drafts;
}

/** The base's ONBUILD triggers: an image's from its config, a stage's from its ONBUILD lines. */
function onBuildTriggers(draft: StageDraft, drafts: StageDraft[], options: ParseOptions): RawStep[] {
  const base = draft.base;
  let expressions: readonly string[] = [];
  if (base.kind === 'image') expressions = options.baseImage?.(base.ref, draft.from.platform)?.onBuild ?? [];
  else if (base.kind === 'stage') {
    const parent = drafts[base.index] as StageDraft;
    expressions = parent.steps.flatMap((s) => (s.kind === 'ONBUILD' ? [s.expression] : []));
  }
  const line = draft.from.line;
  return expressions.map((expression) => {
    const fail = (message: string) =>
      dockerfileError(line, 'FROM', `ONBUILD trigger "${expression.split('\n')[0]}" of the base: ${message}`);
    let lines: LogicalLine[];
    let trigger: RawInstruction;
    try {
      const lexed = lexDockerfile(expression);
      lines = lexed.lines;
      if (lines.length !== 1) throw fail('an ONBUILD trigger must be a single instruction');
      trigger = parseInstruction(lines[0] as LogicalLine, lexed.escape);
    } catch (err) {
      if (isStevedoreError(err) && !err.message.includes('ONBUILD trigger'))
        throw fail(err.message.replace(/^Dockerfile line \d+: /, ''));
      throw err;
    }
    if (trigger.kind === 'FROM' || trigger.kind === 'ONBUILD' || trigger.kind === 'MAINTAINER') {
      throw fail(`${trigger.kind} isn't allowed as an ONBUILD trigger`);
    }
    return { ...trigger, src: { ...trigger.src, line, endLine: line, onBuild: true } } as RawStep;
  });
}

type SourceResolver = (from: string, current: number, line: number, kind: string, byIndex: boolean) => CopySource;

/** COPY --from and mount from=: a stage by name (or index, for COPY), else an image reference. */
function sourceResolver(drafts: StageDraft[]): SourceResolver {
  return (from, current, line, kind, byIndex) => {
    const stageName = drafts[current]?.name ?? String(current);
    let index: number | undefined;
    if (byIndex && /^\d+$/.test(from)) {
      index = Number(from);
      if (index >= drafts.length) throw dockerfileError(line, kind, `invalid stage index ${from}`);
    } else {
      index = drafts.find((d) => d.name === from.toLowerCase())?.index;
    }
    if (index === undefined) {
      checkReference(from, line, kind);
      return { kind: 'image', ref: from };
    }
    if (index >= current) {
      throw dockerfileError(
        line,
        kind,
        `cannot use stage "${from}" from stage "${stageName}": it must be defined before the current stage`,
      );
    }
    return { kind: 'stage', index };
  };
}

function stageDependencies(draft: StageDraft, resolve: SourceResolver): { dependencies: number[]; imageSources: string[] } {
  const stages = new Set<number>();
  const images = new Set<string>();
  if (draft.base.kind === 'stage') stages.add(draft.base.index);
  const add = (source: CopySource) => (source.kind === 'stage' ? stages.add(source.index) : images.add(source.ref));
  for (const step of draft.steps) {
    const line = step.src.line;
    if (step.kind === 'COPY' && step.from !== undefined && step.from !== '')
      add(resolve(step.from, draft.index, line, 'COPY', true));
    if (step.kind === 'RUN') {
      for (const mount of step.mounts) {
        let from: string | undefined;
        try {
          from = mountSource(mount);
        } catch (err) {
          if (err instanceof MountError) throw dockerfileError(line, 'RUN', `--mount=${mount}: ${err.message}`);
          throw err;
        }
        if (from !== undefined && from !== '') add(resolve(from, draft.index, line, 'RUN', false));
      }
    }
  }
  return { dependencies: [...stages].sort((a, b) => a - b), imageSources: [...images] };
}

function targetIndex(drafts: StageDraft[], target: string | undefined): number {
  if (target === undefined) return drafts.length - 1;
  const found = drafts.find((d) => d.name === target.toLowerCase());
  if (!found) {
    const named = drafts.flatMap((d) => (d.name ? [d.name] : []));
    throw dockerfileProblem(
      `target stage "${target}" could not be found${named.length > 0 ? ` (the stages are named ${named.join(', ')})` : ' (no stage is named)'}`,
    );
  }
  return found.index;
}

function checkReference(ref: string, line: number, kind: string): void {
  try {
    parseReference(ref);
  } catch (err) {
    throw dockerfileError(line, kind, (err as Error).message);
  }
}
