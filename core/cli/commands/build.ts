import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseBuildExport } from '../../builder/buildExport.js';
import type { StepEvent } from '../../builder/builder.js';
import { readSecretFlag } from '../../builder/buildSecrets.js';
import { readSshFlag } from '../../builder/buildSsh.js';
import { StevedoreError } from '../../errors.js';
import { parsePlatform } from '../../oci/platform.js';
import { resolveRoot } from '../../store/layout.js';
import { resultLines, seconds, stepLines, warningLines } from '../buildProgressLines.js';
import { action, collect, engineFor, print } from '../context.js';
import { parseLabelFlags } from '../labelFlags.js';
import { type RebuildRecorder, startRebuildRecord } from '../rebuildRecorder.js';
import { TransferPrinter } from '../transferProgress.js';
import { buildInput } from './buildStdin.js';

function buildArgs(pairs: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    // docker: `--build-arg NAME` takes NAME's value from this environment.
    if (eq === -1) {
      const value = process.env[pair];
      if (value !== undefined) args[pair] = value;
    } else args[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return args;
}

/** `--secret`s by id, read here (the file, the environment) and handed to the build in memory. */
function secrets(specs: string[]): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const spec of specs) {
    const { id, value } = readSecretFlag(spec);
    out[id] = value;
  }
  return out;
}

/** BuildKit's plain progress (buildProgressLines.ts), each step's output prefixed with `#N` and the time since the start. */
function plainProgress(started: number) {
  const pending = new Map<number, string>();
  return {
    step(e: StepEvent) {
      process.stderr.write(stepLines(e));
    },
    output(step: number, _stream: 'stdout' | 'stderr', text: string) {
      const lines = ((pending.get(step) ?? '') + text).split('\n');
      pending.set(step, lines.pop() ?? '');
      const at = seconds(Date.now() - started);
      for (const line of lines) process.stderr.write(`#${step} ${at} ${line}\n`);
    },
  };
}

/**
 * The record a rebuild with nothing changed replays (core/cli/rebuildReplay.ts), for a build of
 * a context directory and Dockerfile on disk, from the cache, stored as an image, without
 * secrets or agents: what a replay could not check or give again is never recorded.
 */
function rebuildRecorder(
  cmd: Command,
  context: string,
  opts: Record<string, string | string[] | boolean | undefined>,
  iidfile: string | undefined,
): RebuildRecorder | undefined {
  if (context === '-' || opts.file === '-' || opts.cache === false || opts.pull === true) return undefined;
  if (opts.output !== undefined || (opts.secret as string[]).length > 0 || (opts.ssh as string[]).length > 0) return undefined;
  const contextDir = resolve(context);
  const bare = (opts.buildArg as string[]).filter((pair) => !pair.includes('='));
  return startRebuildRecord({
    root: resolveRoot(cmd.optsWithGlobals<{ root?: string }>().root),
    contextDir,
    dockerfile: typeof opts.file === 'string' ? resolve(opts.file) : join(contextDir, 'Dockerfile'),
    envNames: ['SOURCE_DATE_EPOCH', 'STEVEDORE_RUNTIME', ...bare],
    quiet: opts.quiet === true,
    iidfile: iidfile === undefined ? null : resolve(iidfile),
  });
}

export function registerBuildCommands(program: Command): void {
  program
    .command('build')
    .description('Build an image from a Dockerfile')
    .argument('<context>', 'the build context directory, or - for a tar or a Dockerfile on stdin')
    .option('-t, --tag <name>', 'name the image (repeatable)', collect, [])
    .option('-f, --file <path>', 'the Dockerfile (default: CONTEXT/Dockerfile), or - for stdin')
    .option('--build-arg <K=V>', 'set a build argument (repeatable)', collect, [])
    .option('--target <stage>', 'build this stage')
    .option('--no-cache', 'do not use the build cache')
    .option('--pull', 'always look for a newer version of the images the build reads')
    .option('--no-cache-filter <stage>', 'do not use the build cache for this stage (repeatable)', collect, [])
    .option('--label <K=V>', 'set a label on the image (repeatable)', collect, [])
    .option('--secret <id=ID,src=FILE|env=VAR>', 'give RUN --mount=type=secret a secret (repeatable)', collect, [])
    .option('--ssh <default|ID=SOCKET>', 'give RUN --mount=type=ssh an SSH agent (repeatable)', collect, [])
    .option('--platform <os/arch>', 'the platform to build for (its FROM images; RUN needs qemu-user for another)')
    .option('--progress <mode>', 'auto or plain', 'auto')
    .option('-q, --quiet', 'print only the image ID')
    .option('--iidfile <file>', 'write the image ID to this file')
    .option(
      '-o, --output <spec>',
      'export the result instead of storing an image: type=local,dest=DIR (or DIR), type=tar,dest=FILE, type=oci,dest=FILE (- for stdout)',
    )
    .action(
      action(async (context: string, opts: Record<string, string | string[] | boolean | undefined>, cmd: Command) => {
        if (opts.progress !== 'auto' && opts.progress !== 'plain') {
          throw new StevedoreError('INVALID_ARGUMENT', `invalid --progress "${opts.progress}": use auto or plain`);
        }
        const engine = engineFor(cmd);
        // Checked here: a bad value is one line before anything starts.
        if (typeof opts.platform === 'string') parsePlatform(opts.platform);
        const started = Date.now();
        const quiet = opts.quiet === true;
        const progress = quiet ? { step: () => undefined, output: () => undefined } : plainProgress(started);
        const given = secrets(opts.secret as string[]);
        const agents: Record<string, string> = {};
        for (const spec of opts.ssh as string[]) {
          const { id, socket } = readSshFlag(spec);
          agents[id] = socket;
        }
        const output = typeof opts.output === 'string' ? parseBuildExport(opts.output) : undefined;
        // docker removes it first: a failed build leaves no earlier build's ID there.
        const iidfile = typeof opts.iidfile === 'string' ? opts.iidfile : undefined;
        if (iidfile !== undefined) rmSync(iidfile, { force: true });
        const recorder = rebuildRecorder(cmd, context, opts, iidfile);
        const input = await buildInput(context, typeof opts.file === 'string' ? opts.file : undefined);
        const args = {
          contextDir: input.contextDir,
          ...(input.dockerfile !== undefined ? { dockerfile: input.dockerfile } : {}),
          tags: opts.tag as string[],
          buildArgs: buildArgs(opts.buildArg as string[]),
          ...(typeof opts.target === 'string' ? { target: opts.target } : {}),
          noCache: opts.cache === false,
          ...(opts.pull === true ? { pull: true } : {}),
          ...(typeof opts.platform === 'string' ? { platform: opts.platform } : {}),
          // commander files `--no-cache-filter` under `cacheFilter` (its `--no-` prefix negates).
          ...((opts.cacheFilter as string[]).length > 0 ? { noCacheFilter: opts.cacheFilter as string[] } : {}),
          ...((opts.label as string[]).length > 0 ? { labels: parseLabelFlags(opts.label as string[]) } : {}),
          ...(output ? { output } : {}),
        };
        // A base image not in the store is pulled first: its blobs shown as `pull` shows them.
        const pulling = quiet ? undefined : new TransferPrinter('pull', process.stderr, false);
        const off = engine.on('transfer.progress', (e) => {
          if (e.operation === 'pull') pulling?.update(e);
        });
        const observer = {
          step: (e: StepEvent) => {
            recorder?.step(e);
            progress.step(e);
          },
          output: progress.output,
        };
        let result: Awaited<ReturnType<typeof engine.build>>;
        let buildId: string;
        try {
          const build = engine.recordedBuild(args, observer, given, agents);
          buildId = build.buildId;
          result = await build.done;
        } finally {
          off();
          input.cleanup();
          pulling?.finish();
          engine.closeConnections();
        }
        recorder?.finish(result, () => engine.builds.get(buildId));
        // As docker, after the build: `[Warning] One or more build-args [X] were not consumed`.
        if (result.warnings.length > 0) process.stderr.write(warningLines(result.warnings));
        // As docker writes it: the ID alone, no newline.
        if (iidfile !== undefined) writeFileSync(iidfile, result.imageId);
        // Standard output carries the export itself.
        if (output?.dest === '-') return;
        if (quiet) return print(result.imageId);
        if (output) process.stderr.write(`exporting to ${output.type} ${output.dest} done (${seconds(Date.now() - started)})\n`);
        else process.stderr.write(resultLines(result, Date.now() - started));
        print(result.imageId);
      }),
    );

  program
    .command('builder')
    .description('Manage the build cache')
    .command('prune')
    .description('Forget the build cache (its layers go at the next gc)')
    .action(
      action(async (_opts: unknown, cmd: Command) => {
        const { entries, reclaimedBytes } = await engineFor(cmd).pruneBuildCache();
        print(`Deleted ${entries} build cache entries; reclaimed ${reclaimedBytes} bytes`);
      }),
    );
}
