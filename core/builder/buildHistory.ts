import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildDetail, BuildOutput, BuildStep, BuildSummary } from '../api/builds.schema.js';
import { StevedoreError } from '../errors.js';
import { isProcessAlive } from '../store/processLiveness.js';
import { buildsDir, newBuildId, type StoredBuild, writeBuildFile } from './buildHistoryFile.js';

/** A build of this process: its record as it stands, and when the file was last brought up to it. */
interface RunningBuild {
  build: StoredBuild;
  writtenAt: number;
  timer?: NodeJS.Timeout | undefined;
}

/**
 * At most this often is a running build's record rewritten for other processes (`builds ls`, an
 * app on the same store); its start and end are written at once. A fully cached rebuild reports
 * some twenty steps within a few tens of milliseconds, and rewriting the file at each (a temporary
 * file, a rename) took ~35 ms of its ~270 on the benchmarks' machine.
 */
const REWRITE_EVERY_MS = 100;

/**
 * Builds as the Builds view shows them, kept in `<root>/builds/`: `<id>.json` (the request, the
 * steps, the end), rewritten as steps go by, `<id>.log` (the steps' output, one JSON line each)
 * appended to. A build whose engine died before its end reads as failed. This process reads its
 * own running builds from memory.
 */
export class BuildHistory {
  private readonly dir: string;
  private readonly running = new Map<string, RunningBuild>();

  constructor(root: string) {
    this.dir = buildsDir(root);
  }

  begin(
    request: Omit<
      BuildDetail,
      'buildId' | 'state' | 'startedAt' | 'endedAt' | 'imageId' | 'error' | 'stepCount' | 'cachedCount' | 'steps' | 'output'
    >,
  ): BuildDetail {
    const build: StoredBuild = {
      ...request,
      buildId: newBuildId(),
      state: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      imageId: null,
      error: null,
      stepCount: 0,
      cachedCount: 0,
      steps: [],
      pid: process.pid,
    };
    this.write(build);
    this.running.set(build.buildId, { build, writtenAt: Date.now() });
    return { ...strip(build), output: [] };
  }

  step(buildId: string, step: BuildStep): BuildSummary {
    const own = this.running.get(buildId);
    const build = own?.build ?? this.read(buildId);
    const steps = [...build.steps.filter((s) => s.step !== step.step), step].sort((a, b) => a.step - b.step);
    const next = { ...build, steps, stepCount: steps.length, cachedCount: steps.filter((s) => s.state === 'cached').length };
    if (own) {
      own.build = next;
      this.writeSoon(own);
    } else this.write(next);
    return summary(next);
  }

  output(buildId: string, output: BuildOutput): void {
    appendFileSync(join(this.dir, `${buildId}.log`), `${JSON.stringify(output)}\n`);
  }

  end(buildId: string, result: { imageId: string } | { error: string }): BuildSummary {
    const own = this.running.get(buildId);
    clearTimeout(own?.timer);
    this.running.delete(buildId);
    const build = own?.build ?? this.read(buildId);
    const next: StoredBuild = {
      ...build,
      state: 'imageId' in result ? 'done' : 'failed',
      endedAt: new Date().toISOString(),
      imageId: 'imageId' in result ? result.imageId : null,
      error: 'error' in result ? result.error : null,
    };
    this.write(next);
    return summary(next);
  }

  list(): BuildSummary[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => /^[0-9a-f]{16}\.json$/.test(n));
    } catch {
      return [];
    }
    return names.map((n) => summary(this.current(n.slice(0, -5)))).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  get(buildId: string): BuildDetail {
    const build = this.current(buildId);
    let output: BuildOutput[] = [];
    try {
      output = readFileSync(join(this.dir, `${buildId}.log`), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as BuildOutput);
    } catch {
      output = [];
    }
    return { ...strip(build), output };
  }

  /** The record as this process knows it (a build it runs), else as the file says. */
  private current(buildId: string): StoredBuild {
    return this.running.get(buildId)?.build ?? this.read(buildId);
  }

  /** The file brought up to date now, or once REWRITE_EVERY_MS has passed since the last time. */
  private writeSoon(own: RunningBuild): void {
    if (own.timer) return;
    const flush = () => {
      own.timer = undefined;
      own.writtenAt = Date.now();
      this.write(own.build);
    };
    const wait = own.writtenAt + REWRITE_EVERY_MS - Date.now();
    // Not holding the process open: its end() writes the record anyway.
    if (wait > 0) own.timer = setTimeout(flush, wait).unref();
    else flush();
  }

  private read(buildId: string): StoredBuild {
    if (!/^[0-9a-f]{16}$/.test(buildId)) throw new StevedoreError('NOT_FOUND', `no such build: ${buildId}`);
    let build: StoredBuild;
    try {
      build = JSON.parse(readFileSync(join(this.dir, `${buildId}.json`), 'utf8')) as StoredBuild;
    } catch {
      throw new StevedoreError('NOT_FOUND', `no such build: ${buildId}`);
    }
    if (build.state === 'running' && !isProcessAlive(build.pid)) {
      return { ...build, state: 'failed', error: 'the engine running this build stopped before it ended' };
    }
    return build;
  }

  private write(build: StoredBuild): void {
    writeBuildFile(this.dir, build);
  }
}

function strip(build: StoredBuild): Omit<BuildDetail, 'output'> {
  const { pid: _pid, ...rest } = build;
  return rest;
}

function summary(build: StoredBuild): BuildSummary {
  const { pid: _p, steps: _s, buildArgs: _b, target: _t, noCache: _n, ...rest } = build;
  return rest;
}
