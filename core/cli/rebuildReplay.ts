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
  let root: string;
  let record: RebuildRecord;
  try {
    const global = globalOptions(args);
    if (!global) return false;
    root = resolveRoot(global.root, env);
    const found = readRebuildRecord(root, rebuildInvocation(bundleHash, process.cwd(), args));
    if (!found || 'tooBig' in found || !stillUnchanged(found, root, env)) return false;
    record = found;
  } catch {
    return false;
  }
  const at = new Date(started).toISOString();
  const steps = record.history.steps.map((step) => ({ ...step, durationMs: 0 }));
  writeBuildFile(buildsDir(root), {
    ...record.history,
    steps,
    buildId: newBuildId(),
    state: 'done',
    startedAt: at,
    endedAt: new Date().toISOString(),
    imageId: record.imageId,
    error: null,
    pid: process.pid,
  });
  // docker removes it first, then writes the ID alone, no newline.
  if (record.iidfile !== null) {
    rmSync(record.iidfile, { force: true });
    writeFileSync(record.iidfile, record.imageId);
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
