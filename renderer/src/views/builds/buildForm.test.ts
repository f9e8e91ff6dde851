import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildRequestFrom,
  checkBuildArg,
  checkBuildSecret,
  checkBuildTag,
  checkContextDir,
  dockerfilePath,
  requestOf,
} from './buildForm';

describe('the New build form', () => {
  it('wants the context as a full path', () => {
    assert.equal(checkContextDir('/srv/app'), null);
    assert.match(checkContextDir('') ?? '', /full path/);
    assert.match(checkContextDir('app') ?? '', /starting with \//);
  });

  it('checks tags with the reference grammar, and refuses a digest', () => {
    assert.equal(checkBuildTag('built:one'), null);
    assert.equal(checkBuildTag('registry.example:5000/team/app:1.0'), null);
    assert.equal(checkBuildTag('Built:one'), 'Repository names are lowercase.');
    assert.match(checkBuildTag(`app@sha256:${'a'.repeat(64)}`) ?? '', /digest is what the build makes/);
  });

  it('wants NAME=value for a build argument', () => {
    assert.equal(checkBuildArg('WHO=e2e'), null);
    assert.equal(checkBuildArg('EMPTY='), null);
    assert.equal(checkBuildArg('WHO'), 'Write NAME=value.');
    assert.match(checkBuildArg('=x') ?? '', /name before/);
    assert.match(checkBuildArg('A B=x') ?? '', /blanks/);
  });

  it('wants ID=/full/path for a secret (a file on the engine’s machine), and sends the files by id', () => {
    assert.equal(checkBuildSecret('npmrc=/home/me/.npmrc'), null);
    assert.equal(checkBuildSecret('npmrc'), 'Write ID=/full/path/of/the/file.');
    assert.match(checkBuildSecret('=/x') ?? '', /id before/);
    assert.match(checkBuildSecret('a b=/x') ?? '', /blanks/);
    assert.match(checkBuildSecret('tok=token.txt') ?? '', /full path/);
    const form = { contextDir: '/srv/app', dockerfile: '', tags: [], buildArgs: [], target: '', noCache: false };
    assert.deepEqual(buildRequestFrom({ ...form, secrets: ['tok=/run/tok', 'npmrc=/home/me/.npmrc'] }), {
      contextDir: '/srv/app',
      secretFiles: { tok: '/run/tok', npmrc: '/home/me/.npmrc' },
    });
  });

  it('shows which Dockerfile the engine will read', () => {
    assert.equal(dockerfilePath('/srv/app/', ''), '/srv/app/Dockerfile');
    assert.equal(dockerfilePath('/srv/app', './docker/Dockerfile.dev'), '/srv/app/docker/Dockerfile.dev');
    assert.equal(dockerfilePath('/srv/app', '/elsewhere/Dockerfile'), '/elsewhere/Dockerfile');
  });

  it('makes the request, leaving out what is empty', () => {
    assert.deepEqual(
      buildRequestFrom({ contextDir: ' /srv/app ', dockerfile: '', tags: [], buildArgs: [], target: '', noCache: false }),
      { contextDir: '/srv/app' },
    );
    assert.deepEqual(
      buildRequestFrom({
        contextDir: '/srv/app',
        dockerfile: 'Dockerfile.dev',
        tags: ['app:1'],
        buildArgs: ['A=1', 'B=x=y', 'A=2'],
        target: 'runtime',
        noCache: true,
      }),
      {
        contextDir: '/srv/app',
        dockerfile: 'Dockerfile.dev',
        tags: ['app:1'],
        buildArgs: { A: '2', B: 'x=y' },
        target: 'runtime',
        noCache: true,
      },
    );
  });

  it('fills the form from a past build, the Dockerfile relative to its context', () => {
    const past = { contextDir: '/srv/app', tags: ['app:1'], buildArgs: { A: '1' }, target: null, noCache: false };
    assert.deepEqual(requestOf({ ...past, dockerfile: '/srv/app/Dockerfile' }), {
      contextDir: '/srv/app',
      tags: ['app:1'],
      buildArgs: { A: '1' },
      noCache: false,
    });
    assert.equal(requestOf({ ...past, dockerfile: '/srv/app/docker/Dockerfile.dev' }).dockerfile, 'docker/Dockerfile.dev');
    assert.equal(requestOf({ ...past, dockerfile: '/elsewhere/Dockerfile' }).dockerfile, '/elsewhere/Dockerfile');
  });
});
