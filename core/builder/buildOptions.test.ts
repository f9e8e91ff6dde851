import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { tempDir } from '../../testkit/tempDir.js';
import type { BuildStep } from '../api/builds.schema.js';
import { Engine } from '../engine.js';
import type { BuildRequest } from './builder.js';

const work = tempDir();
const root = join(work, 'store');

function context(name: string, dockerfile: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

/** Builds in-process; returns the result and each step's title with how it ended. */
async function build(engine: Engine, request: Partial<BuildRequest> & { contextDir: string }) {
  const ends: string[] = [];
  const result = await engine.build(
    { tags: [], buildArgs: {}, noCache: false, ...request },
    {
      step: (e: BuildStep) => {
        if (e.state !== 'running') ends.push(`${e.title.replace(/^\[[^\]]*\] /, '')}: ${e.state}`);
      },
      output: () => undefined,
    },
  );
  return { result, ends };
}

describe('build options (issue 16)', () => {
  before(async () => {
    await loadBoxImage(root, work);
  });

  it('--label sets labels on the image, over those it would have', async () => {
    const engine = new Engine(root);
    const dir = context('labels', 'FROM box:v1\nLABEL a=from-file b=kept\n');
    await build(engine, { contextDir: dir, tags: ['labelled:1'], labels: { a: 'from-flag', c: 'new' } });
    const r = stevedore(root, ['inspect', '--type', 'image', '--json', 'labelled:1']);
    assert.equal(r.code, 0, r.stderr);
    const { imageConfig } = JSON.parse(r.stdout) as { imageConfig: { config: { Labels?: Record<string, string> } } };
    assert.deepEqual(imageConfig.config.Labels, { a: 'from-flag', b: 'kept', c: 'new' });
  });

  it('--no-cache-filter runs the named stage’s steps again and takes the others from the cache', async () => {
    const engine = new Engine(root);
    const dir = context(
      'filter',
      'FROM box:v1 AS First\nRUN echo one > /one\nFROM box:v1\nCOPY --from=first /one /one\nRUN echo two > /two\n',
    );
    await build(engine, { contextDir: dir });
    const { ends } = await build(engine, { contextDir: dir, noCacheFilter: ['first'] });
    assert.ok(ends.includes('RUN echo one > /one: done'), ends.join('\n'));
    assert.ok(ends.includes('RUN echo two > /two: cached'), ends.join('\n'));
  });
});
