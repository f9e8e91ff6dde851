import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { StevedoreError } from '../errors.js';
import { isFreezerRace, ociRuntime, runc, runcMessage } from './runc.js';

describe('runc errors', () => {
  it('reads the sentence out of runc’s logfmt error line', () => {
    const stderr = 'time="2026-12-04T05:00:00Z" level=error msg="unable to freeze"\n';
    assert.equal(runcMessage(stderr), 'unable to freeze');
    assert.equal(runcMessage('container "x" does not exist\n'), 'container "x" does not exist');
  });

  it('tells cgroup v1’s freezer race, which another pause may win, from errors another try cannot fix', () => {
    const race = new StevedoreError(
      'INTERNAL',
      `cannot pause container web: ${runcMessage('level=error msg="unable to freeze"')}`,
    );
    assert.ok(isFreezerRace(race));
    assert.ok(!isFreezerRace(new StevedoreError('INTERNAL', 'cannot pause container web: container not running')));
    assert.ok(!isFreezerRace(new Error('unable to freeze')));
  });
});

describe('runc that does not run to an end', () => {
  it('is said to be missing only when it is, and a signal that ended it is named', async (t) => {
    const bin = tempDir();
    writeFileSync(join(bin, 'runc'), '#!/bin/sh\necho \'level=error msg="about to be killed"\' >&2\nkill -KILL $$\n', {
      mode: 0o755,
    });
    const path = process.env.PATH;
    t.after(() => {
      process.env.PATH = path;
    });
    process.env.PATH = bin;
    await assert.rejects(runc(['state', 'web'], 'cannot read container web'), {
      message: 'cannot read container web: runc was ended by SIGKILL: about to be killed',
    });
    process.env.PATH = join(bin, 'nothing-here');
    await assert.rejects(runc(['state', 'web'], 'cannot read container web'), {
      message: 'cannot run runc: it is not installed (Debian: apt-get install runc)',
    });
  });
});

describe('the OCI runtime', () => {
  it('is runc unless STEVEDORE_OCI_RUNTIME names crun; another name is refused in one sentence', () => {
    assert.equal(ociRuntime({}), 'runc');
    assert.equal(ociRuntime({ STEVEDORE_OCI_RUNTIME: '' }), 'runc');
    assert.equal(ociRuntime({ STEVEDORE_OCI_RUNTIME: 'crun' }), 'crun');
    assert.throws(
      () => ociRuntime({ STEVEDORE_OCI_RUNTIME: 'krun' }),
      (err: unknown) => err instanceof StevedoreError && err.message === 'invalid STEVEDORE_OCI_RUNTIME "krun": use runc or crun',
    );
  });
});
