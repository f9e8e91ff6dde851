// clientFor: a command goes through the engine that serves its store root (its engine socket), or
// opens one in this process. Which engine did the work is told by the served engine's own events:
// an engine opened in-process emits on an emitter of its own, which the test does not hear.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { call } from '../api/engineClient.js';
import { Engine } from '../engine.js';
import { type EngineSocket, startEngineSocket } from '../server/engineSocket.js';
import { clientFor } from './engineClientFor.js';

/** The action's Command of `stevedore --root ROOT [--runtime R] ...path`, as commander hands it over. */
function commandOf(root: string, path: string[], runtime?: string): Command {
  const program = new Command().option('--root <dir>').option('--runtime <r>');
  let command = program;
  for (const name of path) command = command.command(name);
  program.parse(['--root', root, ...(runtime ? ['--runtime', runtime] : []), ...path], { from: 'user' });
  return command;
}

/** Runs `fn` with the environment changed, as a person's shell would have it. */
async function withEnv<T>(changes: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(changes);
  try {
    return await fn();
  } finally {
    set(before);
  }
}

describe('clientFor chooses the engine a command runs on', () => {
  const root = tempDir('stevedore-clientfor-');
  const engine = new Engine(root);
  let socket: EngineSocket;
  let tags = 0;
  const heard: string[] = [];

  before(async () => {
    delete process.env.STEVEDORE_NO_DAEMON;
    delete process.env.STEVEDORE_RUNTIME;
    delete process.env.STEVEDORE_ROOTFS;
    delete process.env.STEVEDORE_OCI_RUNTIME;
    const layout = join(tempDir(), 'layout');
    writeLayout(layout, [{ refName: 'a', layers: [Buffer.from('layer')] }]);
    await engine.loadImages(layout, 'localhost/app');
    socket = await startEngineSocket(engine);
    assert.ok(socket.serving);
    engine.on('images.changed', () => heard.push('images.changed'));
  });
  after(async () => {
    await socket.close();
    engine.close();
  });

  /** Tags through clientFor(command); whether the served engine did it (it emitted images.changed). */
  async function tagThrough(command: Command): Promise<'engine' | 'in-process'> {
    heard.length = 0;
    const client = clientFor(command);
    const events: unknown[] = [];
    const off = client.subscribe('images.changed', (p) => events.push(p));
    await call(client, 'images.tag', { source: 'localhost/app:a', target: `localhost/app:t${++tags}` });
    // A refusal of the contract is the Router's, either way.
    await assert.rejects(call(client, 'images.tag', { source: '', target: 'x' } as never), { code: 'INVALID_ARGUMENT' });
    off();
    client.close();
    assert.ok(events.length > 0, 'the client hears the engine it used');
    return heard.length > 0 ? 'engine' : 'in-process';
  }

  it('goes through the engine that serves the root, the same Docker config and runtime', async () => {
    assert.equal(await tagThrough(commandOf(root, ['tag'])), 'engine');
    assert.equal(await tagThrough(commandOf(root, ['volume', 'create'])), 'engine');
    assert.equal(
      await withEnv({ STEVEDORE_RUNTIME: engine.info().runtime }, () => tagThrough(commandOf(root, ['tag']))),
      'engine',
    );
    assert.equal(await tagThrough(commandOf(root, ['tag'], engine.info().runtime)), 'engine');
    assert.equal(await withEnv({ STEVEDORE_NO_DAEMON: '0' }, () => tagThrough(commandOf(root, ['tag']))), 'engine');
  });

  it('runs in-process with STEVEDORE_NO_DAEMON=1, another Docker config or runtime setting, or a command of local streams', async () => {
    assert.equal(await withEnv({ STEVEDORE_NO_DAEMON: '1' }, () => tagThrough(commandOf(root, ['tag']))), 'in-process');
    const elsewhere = join(tempDir(), 'docker-config');
    assert.equal(await withEnv({ DOCKER_CONFIG: elsewhere }, () => tagThrough(commandOf(root, ['tag']))), 'in-process');
    // The engine was started without them: a command that asks for another root filesystem or OCI runtime gets it.
    assert.equal(await withEnv({ STEVEDORE_ROOTFS: 'copy' }, () => tagThrough(commandOf(root, ['tag']))), 'in-process');
    assert.equal(await withEnv({ STEVEDORE_OCI_RUNTIME: 'crun' }, () => tagThrough(commandOf(root, ['tag']))), 'in-process');
    assert.equal(await withEnv({ STEVEDORE_ROOTFS: '' }, () => tagThrough(commandOf(root, ['tag']))), 'engine');
    for (const local of [['run'], ['exec'], ['load'], ['save'], ['build'], ['cp'], ['builder', 'prune']]) {
      assert.equal(await tagThrough(commandOf(root, local)), 'in-process', local.join(' '));
    }
  });

  it('runs in-process where nothing serves the root', async () => {
    const other = tempDir('stevedore-clientfor-none-');
    const client = clientFor(commandOf(other, ['volume', 'create']));
    const created = await call(client, 'volumes.create', { name: 'v1' });
    assert.equal(created.name, 'v1');
    client.close();
    assert.deepEqual(
      (await new Engine(other).handlers()['volumes.list']({})).map((v) => v.name),
      ['v1'],
    );
  });
});
