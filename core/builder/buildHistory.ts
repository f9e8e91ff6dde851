import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildDetail, BuildOutput, BuildStep, BuildSummary } from '../api/builds.schema.js';
import { StevedoreError } from '../errors.js';
import { isProcessAlive } from '../store/processLiveness.js';
import { writeFileAtomic } from '../system/atomicFile.js';

type StoredBuild = Omit<BuildDetail, 'output'> & { pid: number };

/**
 * Builds as the Builds view shows them, kept in `<root>/builds/`: `<id>.json` (the request, the
 * steps, the end) rewritten at each step, `<id>.log` (the steps' output, one JSON line each)
 * appended to. A build whose engine died before its end reads as failed.
 */
export class BuildHistory {
  private readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, 'builds');
  }

  begin(
    request: Omit<
      BuildDetail,
      'buildId' | 'state' | 'startedAt' | 'endedAt' | 'imageId' | 'error' | 'stepCount' | 'cachedCount' | 'steps' | 'output'
    >,
  ): BuildDetail {
    mkdirSync(this.dir, { recursive: true });
    const build: StoredBuild = {
      ...request,
      buildId: randomBytes(8).toString('hex'),
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
    return { ...strip(build), output: [] };
  }

  step(buildId: string, step: BuildStep): BuildSummary {
    const build = this.read(buildId);
    const steps = [...build.steps.filter((s) => s.step !== step.step), step].sort((a, b) => a.step - b.step);
    const next = { ...build, steps, stepCount: steps.length, cachedCount: steps.filter((s) => s.state === 'cached').length };
    this.write(next);
    return summary(next);
  }

  output(buildId: string, output: BuildOutput): void {
    appendFileSync(join(this.dir, `${buildId}.log`), `${JSON.stringify(output)}\n`);
  }

  end(buildId: string, result: { imageId: string } | { error: string }): BuildSummary {
    const build = this.read(buildId);
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
    return names.map((n) => summary(this.read(n.slice(0, -5)))).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  get(buildId: string): BuildDetail {
    const build = this.read(buildId);
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
    // Rewritten at every step; not fsynced (history, not content).
    writeFileAtomic(join(this.dir, `${build.buildId}.json`), JSON.stringify(build), { durable: false });
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
