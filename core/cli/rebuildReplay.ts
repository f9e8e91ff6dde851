import { rmSync, writeFileSync, writeSync } from 'node:fs';
import { buildsDir, newBuildId, writeBuildFile } from '../builder/buildHistoryFile.js';
import { type RebuildRecord, readRebuildRecord, rebuildInvocation, stillUnchanged } from '../builder/unchangedRebuild.js';
import { resolveRoot } from '../store/layout.js';
import { resultLines, stepLines, warningLines } from './buildProgressLines.js';
import { globalOptions } from './namespaceLaunch.js';

/** Writes all of `text` to a descriptor node has not opened as a stream (it may be non-blocking). */
function writeAll(fd: number, text: string): void {
  let bytes = Buffer.from(text);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A reader that went away (`| head`) ends the output, as for any command.
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw err;
    }
  }
}

/**
 * `stevedore build …` (`args`: the arguments after the script) run again with nothing changed
 * since it last ran in full (core/builder/unchangedRebuild.ts): its steps, the image and its tags
 * printed as that build printed them, a build kept in the history as that build was, and true.
 * False, having done nothing, when there is no record of this invocation or anything it read
 * has changed: the CLI then builds. Run by the launcher before the CLI bundle loads.
 */
export function replayUnchangedRebuild(args: readonly string[], bundleHash: string, env = process.env): boolean {
  const started = Date.now();
  let record: RebuildRecord;
  try {
    const global = globalOptions(args);
    if (!global) return false;
    const root = resolveRoot(global.root, env);
    const found = readRebuildRecord(root, rebuildInvocation(bundleHash, process.cwd(), args));
    if (!found || 'tooBig' in found || !stillUnchanged(found, root, env)) return false;
    record = found;
    // What the build leaves on disk, before a word is printed: a file that cannot be written
    // leaves the CLI to build, and to say why in its own words.
    if (record.iidfile !== null) {
      // docker removes it first, then writes the ID alone, no newline.
      rmSync(record.iidfile, { force: true });
      writeFileSync(record.iidfile, record.imageId);
    }
    writeBuildFile(buildsDir(root), {
      ...record.history,
      steps: record.history.steps.map((step) => ({ ...step, durationMs: 0 })),
      buildId: newBuildId(),
      state: 'done',
      startedAt: new Date(started).toISOString(),
      endedAt: new Date().toISOString(),
      imageId: record.imageId,
      error: null,
      pid: process.pid,
    });
  } catch {
    return false;
  }
  const warnings = warningLines(record.warnings);
  if (record.quiet) writeAll(2, warnings);
  else {
    const events = record.events.map((e) => stepLines(e.state === 'done' ? { ...e, durationMs: 0 } : e)).join('');
    writeAll(2, `${events}${warnings}${resultLines(record, Date.now() - started)}`);
  }
  writeAll(1, `${record.imageId}\n`);
  return true;
}
