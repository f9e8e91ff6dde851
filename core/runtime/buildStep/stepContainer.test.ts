import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../testkit/tempDir.js';
import { runStepContainer } from './stepContainer.js';

const work = tempDir();

function busyboxTree(dir: string): void {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  cpSync('/bin/busybox', join(dir, 'bin', 'busybox'));
  for (const applet of ['sh', 'echo', 'rm', 'mkdir', 'cat']) symlinkSync('busybox', join(dir, 'bin', applet));
}

describe('a build step in a container', () => {
  it('reports what the step added, changed and deleted — whiteouts and opaque directories alike — and nothing the runtime made', async () => {
    const lower = join(work, 'lower');
    busyboxTree(lower);
    mkdirSync(join(lower, 'keep'), { recursive: true });
    writeFileSync(join(lower, 'keep', 'old'), 'old\n');
    writeFileSync(join(lower, 'gone'), 'x\n');
    mkdirSync(join(lower, 'redo', 'sub'), { recursive: true });
    writeFileSync(join(lower, 'redo', 'sub', 'f'), 'f\n');
    const output: string[] = [];
    const step = await runStepContainer(
      join(work, 'build'),
      lower,
      {
        args: [
          '/bin/sh',
          '-c',
          'echo changed > /keep/old; echo new > /keep/new; rm /gone; rm -rf /redo; mkdir /redo; echo again > /redo/g; echo done',
        ],
        env: ['PATH=/bin'],
        workingDir: '/',
        user: '',
        network: 'none',
      },
      (_stream, text) => output.push(text),
    );
    try {
      assert.equal(output.join(''), 'done\n');
      assert.deepEqual(step.changes.changed.sort(), ['keep', 'keep/new', 'keep/old', 'redo', 'redo/g']);
      assert.deepEqual(step.changes.deleted, ['gone', 'redo/sub']);
      assert.equal(readFileSync(join(step.upper, 'keep', 'old'), 'utf8'), 'changed\n');
    } finally {
      step.cleanup();
    }
  });

  it('fails in docker’s words when the command fails', async () => {
    const lower = join(work, 'lower2');
    busyboxTree(lower);
    await assert.rejects(
      runStepContainer(
        join(work, 'build'),
        lower,
        { args: ['/bin/sh', '-c', 'exit 3'], env: [], workingDir: '/', user: '', network: 'none' },
        () => undefined,
      ),
      /process "\/bin\/sh -c exit 3" did not complete successfully: exit code: 3/,
    );
  });

  it('keeps the step’s spec, which holds its env and ARG values, readable by the store owner alone', async () => {
    const lower = join(work, 'lower3');
    busyboxTree(lower);
    const buildDir = join(work, 'build-private');
    const modes: string[] = [];
    // Read while the step runs: its output arrives before the step's directory is removed.
    const onOutput = () => {
      for (const id of readdirSync(buildDir)) {
        modes.push(`${id.replace(/[0-9a-f]{24}$/, '…')} ${(statSync(join(buildDir, id)).mode & 0o777).toString(8)}`);
        modes.push(`config.json ${(statSync(join(buildDir, id, 'config.json')).mode & 0o777).toString(8)}`);
      }
    };
    const step = await runStepContainer(
      buildDir,
      lower,
      { args: ['/bin/sh', '-c', 'echo ready'], env: ['TOKEN=secret'], workingDir: '/', user: '', network: 'none' },
      onOutput,
    );
    step.cleanup();
    assert.deepEqual(modes, ['build-… 700', 'config.json 600']);
  });
});
