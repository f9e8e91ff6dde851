import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cliPath } from '../../testkit/cli.js';
import { openEngineSocket } from '../../testkit/daemon.js';
import { eventually } from '../../testkit/eventually.js';
import { tempDir } from '../../testkit/tempDir.js';
import { type EngineDaemon, startEngineDaemon } from './engineDaemon.js';

/** Resolves once the daemon's process has ended. */
function ended(daemon: EngineDaemon): Promise<void> {
  return new Promise((resolve) => (daemon.alive() ? daemon.child.once('exit', () => resolve()) : resolve()));
}

function invoke(ws: Awaited<ReturnType<typeof openEngineSocket>>, method: string): Promise<{ ok: boolean }> {
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data));
      if (m.kind === 'result' && m.id === 1) resolve(m.response);
    });
    ws.send(JSON.stringify({ kind: 'invoke', id: 1, method, args: {} }));
  });
}

describe('an engine started on demand (daemon --exit-when-idle)', () => {
  const env = { ...process.env, STEVEDORE_RUNTIME: 'native' };
  const started: EngineDaemon[] = [];
  const start = async (root: string, idle?: number) => {
    const args = [process.execPath, cliPath, '--root', root, 'daemon', ...(idle ? ['--exit-when-idle', String(idle)] : [])];
    const daemon = await startEngineDaemon(args, { env });
    started.push(daemon);
    return daemon;
  };
  after(async () => {
    await Promise.all(started.map((d) => d.stop('SIGKILL')));
  });

  it('records itself beside its socket, and ends once unused: socket and record gone', async () => {
    const root = tempDir('stevedore-on-demand-');
    const daemon = await start(root, 1);
    const record = JSON.parse(readFileSync(join(root, 'engine-on-demand.json'), 'utf8')) as { pid: number };
    assert.equal(record.pid, daemon.child.pid);
    await ended(daemon);
    // Its last words may reach this process after its end.
    await eventually(() => assert.match(daemon.output(), /Stevedore engine leaving: unused for 1 s\n/));
    assert.equal(existsSync(daemon.socketPath), false);
    assert.equal(existsSync(join(root, 'engine-on-demand.json')), false);
  });

  it('gives its socket up to a plain daemon, serves the client it has to the end, then ends', async () => {
    const root = tempDir('stevedore-on-demand-');
    const onDemand = await start(root, 300);
    const client = await openEngineSocket(onDemand.socketPath);
    const plain = await start(root);
    // Through another pipe than the plain daemon's line: it may come after it.
    await eventually(() => assert.match(onDemand.output(), /Stevedore engine leaving: another engine serves the store now\n/));
    assert.equal(existsSync(join(root, 'engine-on-demand.json')), false, 'the record is the leaving engine’s no more');
    // Still answered by the engine it connected to, which waits for it.
    assert.equal((await invoke(client, 'engine.info')).ok, true);
    assert.ok(onDemand.alive());
    client.close();
    await ended(onDemand);
    assert.ok(plain.alive());
    const next = await openEngineSocket(plain.socketPath);
    assert.equal((await invoke(next, 'engine.info')).ok, true);
    next.close();
  });

  it('a second one started on demand leaves the first serving; a daemon not started on demand is never asked to leave', async () => {
    const root = tempDir('stevedore-on-demand-');
    const first = await start(root, 300);
    await assert.rejects(start(root, 300), { message: /another engine already serves it/ });
    assert.ok(first.alive());
    await first.stop();

    const plain = await start(root);
    await assert.rejects(start(root, 300), { message: /another engine already serves it/ });
    await assert.rejects(start(root), { message: /another engine already serves it/ });
    assert.ok(plain.alive());
  });

  it('ends when its store is removed', async () => {
    const root = tempDir('stevedore-on-demand-');
    const daemon = await start(root, 300);
    rmSync(root, { recursive: true, force: true });
    await ended(daemon);
    await eventually(() => assert.match(daemon.output(), /Stevedore engine leaving: its store was removed\n/));
  });

  it('--exit-when-idle takes whole seconds above 0', async () => {
    const root = tempDir('stevedore-on-demand-');
    for (const bad of ['0', '-1', '1.5', 'x']) {
      await assert.rejects(start(root, bad as unknown as number), {
        message: /argument '.*' is invalid\. a whole number of seconds above 0 is needed\./,
      });
    }
  });
});
