import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath, stevedore, stevedoreAsync } from '../testkit/cli.js';
import { loadBoxImage } from '../testkit/containerImages.js';
import { eventually } from '../testkit/eventually.js';
import { tempDir } from '../testkit/tempDir.js';

const work = tempDir('stevedore-attach-');
const root = join(work, 'store');

/** `stevedore attach …` running beside the test, its output gathered as it comes. */
interface Attached {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function attach(args: string[]): Attached {
  const child = spawn(process.execPath, [cliPath, '--root', root, 'attach', ...args]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

function runDetached(args: string[]): string {
  const run = stevedore(root, ['run', '-d', '--network', 'none', ...args]);
  assert.equal(run.code, 0, run.stderr);
  return run.stdout.trim();
}

function state(id: string): string {
  const inspect = stevedore(root, ['inspect', '--json', id]);
  assert.equal(inspect.code, 0, inspect.stderr);
  return (JSON.parse(inspect.stdout) as { state: string }).state;
}

describe('attach (docker attach, with real runc and conmon)', () => {
  before(async () => {
    await loadBoxImage(root, join(work, 'box'));
  });
  after(() => {
    for (const id of stevedore(root, ['ps', '-aq']).stdout.split('\n').filter(Boolean)) stevedore(root, ['rm', '-f', id]);
  });

  it("streams a running container's output from now on, and exits with its exit code when it ends", async () => {
    const id = runDetached(['box:v1', 'sh', '-c', 'i=0; while true; do echo line $i; i=$((i+1)); sleep 0.3; done']);
    const attached = attach([id]);
    await eventually(() => assert.match(attached.stdout(), /line \d+\n/), 15_000);
    const killed = stevedore(root, ['kill', id]);
    assert.equal(killed.code, 0, killed.stderr);
    assert.equal(await attached.exit, 137, attached.stderr());
  });

  it('passes stdin to a -i container (cat echoes it back); the detach keys leave it running, stdin still open', async () => {
    const id = runDetached(['-i', 'box:v1', 'cat']);
    const first = attach([id]);
    first.child.stdin.write('hello through attach\n');
    await eventually(() => assert.match(first.stdout(), /hello through attach\n/), 15_000);
    // docker's default detach sequence: Ctrl-P, Ctrl-Q.
    first.child.stdin.write(Buffer.from([0x10, 0x11]));
    assert.equal(await first.exit, 0, first.stderr());
    assert.equal(state(id), 'running');

    // Attached again with other keys: the container's stdin stayed open, and only the new keys detach.
    const second = attach(['--detach-keys', 'ctrl-a,x', id]);
    second.child.stdin.write(Buffer.from('again\x10\x11\n'));
    await eventually(() => assert.match(second.stdout(), /again\x10\x11\n/), 15_000);
    second.child.stdin.write(Buffer.from([0x01, 0x78]));
    assert.equal(await second.exit, 0, second.stderr());
    assert.equal(state(id), 'running');
  });

  it('passes Ctrl-C (SIGINT) on to the container (--sig-proxy), and exits with the code it ends with', async () => {
    const id = runDetached(['box:v1', 'sh', '-c', 'trap "echo got INT; exit 3" INT; while true; do echo tick; sleep 0.2; done']);
    const attached = attach([id]);
    // Output arriving says attach is connected (and its signal handlers are in place).
    await eventually(() => assert.match(attached.stdout(), /tick\n/), 15_000);
    attached.child.kill('SIGINT');
    assert.equal(await attached.exit, 3, attached.stderr());
    assert.match(attached.stdout(), /got INT\n/);
  });

  it("start -ai gives a create -i container this stdin; its end is the container's (docker's StdinOnce), so cat ends", {
    timeout: 60_000,
  }, async () => {
    const created = stevedore(root, ['create', '-i', '--network', 'none', 'box:v1', 'cat']);
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    const started = await stevedoreAsync(root, ['start', '-ai', id], 'one\ntwo\n');
    assert.equal(started.code, 0, started.stderr);
    assert.equal(started.stdout, 'one\ntwo\n');
    assert.equal(state(id), 'exited');
  });

  it("refuses a stopped container in docker's words, exit 1", async () => {
    const id = runDetached(['box:v1', 'true']);
    await eventually(() => assert.equal(state(id), 'exited'), 15_000);
    const refused = stevedore(root, ['attach', id]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'error: You cannot attach to a stopped container, start it first\n');
  });
});
