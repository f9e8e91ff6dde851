import type { BuildDetail, BuildStep } from '../api/builds.schema.js';
import {
  envValues,
  inputsHeader,
  inputsSnapshot,
  readRebuildRecord,
  rebuildInvocation,
  snapshotText,
  writeRebuildRecord,
} from '../builder/unchangedRebuild.js';

/** How long before a build its files must have last changed for it to be recorded: many clock ticks. */
const SETTLED_MS = 100;

/** What `stevedore build` knows of itself that a replay of it needs (core/cli/rebuildReplay.ts). */
export interface RebuildRecording {
  root: string;
  contextDir: string;
  /** Absolute, as the build reads it. */
  dockerfile: string;
  /** The environment variables the build reads: SOURCE_DATE_EPOCH, --build-arg NAME without a value… */
  envNames: string[];
  quiet: boolean;
  iidfile: string | null;
}

export interface RebuildRecorder {
  /** Each step event, as the build reports it. */
  step(event: BuildStep): void;
  /**
   * The build ended well: its record is written when nothing it read changed while it ran (so it
   * took every step from the cache and its tags named its image already). `history` reads the
   * build's own history file. A record that cannot be made is none: the build has succeeded.
   */
  finish(
    result: { imageId: string; manifestDigest: string; tags: string[]; warnings: string[] },
    history: () => BuildDetail,
  ): void;
}

/**
 * Starts the record of a build that a rebuild with nothing changed can replay
 * (core/builder/unchangedRebuild.ts), taking what it reads before it reads it; undefined when
 * there is nothing to record by: a CLI not started by its launcher (no bundle hash), a context
 * too big to list, or files changed just before (`now`).
 */
export function startRebuildRecord(recording: RebuildRecording, now = Date.now()): RebuildRecorder | undefined {
  try {
    return startRecord(recording, now);
  } catch {
    // A working directory gone, a Dockerfile's directory unreadable: the build says what it says.
    return undefined;
  }
}

function startRecord(recording: RebuildRecording, now: number): RebuildRecorder | undefined {
  const bundleHash = globalThis.__stevedoreBundleHash;
  if (bundleHash === undefined) return undefined;
  const { root, contextDir, dockerfile } = recording;
  const invocation = rebuildInvocation(bundleHash, process.cwd(), process.argv.slice(2));
  // A context found too big to list is not walked again while what decides its listing is the same.
  const known = readRebuildRecord(root, invocation);
  if (known && 'tooBig' in known && known.tooBig === inputsHeader(root, contextDir, dockerfile)) return undefined;
  const snapshot = inputsSnapshot(root, contextDir, dockerfile);
  if (snapshot?.listing === undefined) {
    if (snapshot) writeRebuildRecord(root, { invocation, tooBig: snapshot.header });
    return undefined;
  }
  // Racy, as git calls it: a file changed within a clock tick of this snapshot (a kernel's file
  // times may move in ticks, 4 ms at 250 Hz) could change again, same size, in the same tick while the
  // build reads it, and the snapshot at the end would not show it. Such a build records nothing;
  // the next one, once its files have settled, does.
  if (snapshot.newestChangeNs >= BigInt(now - SETTLED_MS) * 1_000_000n) return undefined;
  const inputs = snapshotText(snapshot)!;
  const env = envValues(recording.envNames, process.env);
  const events: BuildStep[] = [];
  return {
    step: (event) => events.push(event),
    finish(result, history) {
      try {
        const build = history();
        if (build.contextDir !== contextDir || build.dockerfile !== dockerfile) return;
        // The header first: a build that ran a step changed the build cache, and is a stat away.
        if (inputsHeader(root, contextDir, dockerfile) !== snapshot.header) return;
        if (snapshotText(inputsSnapshot(root, contextDir, dockerfile)) !== inputs) return;
        const { buildId: _b, startedAt: _s, endedAt: _e, output: _o, ...kept } = build;
        writeRebuildRecord(root, {
          invocation,
          env,
          inputs,
          events,
          imageId: result.imageId,
          manifestDigest: result.manifestDigest,
          tags: result.tags,
          warnings: result.warnings,
          quiet: recording.quiet,
          iidfile: recording.iidfile,
          history: kept,
        });
      } catch {
        // No record: the next rebuild builds.
      }
    },
  };
}
