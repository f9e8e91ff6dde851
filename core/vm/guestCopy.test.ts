import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { makeLayer } from '../../testkit/layers.js';
import type { Engine } from '../engine.js';
import { StevedoreError } from '../errors.js';
import type { ContainerCopyBackend, ExtractOptions, PathKind } from '../runtime/containerCopy.js';
import { extractArchive } from '../runtime/containerCopy.js';
import { archiveHandler } from '../server/agentArchive.js';
import { requestTarget } from '../server/requestTarget.js';
import { GuestCopy } from './guestCopy.js';

// The two halves of a container's files through a machine, host (GuestCopy) and agent
// (archiveHandler), over a real HTTP connection; the guest's engine is a stand-in.
describe('container files over the agent channel', () => {
  let server: Server;
  let guest: GuestCopy;
  let work: string;
  /** What the stand-in guest engine does for the current test. */
  let copy: Partial<ContainerCopyBackend> = {};

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'stevedore-guestcopy-'));
    const engine = { containerCopy: () => copy } as unknown as Engine;
    server = createServer((req, res) => {
      const handler = archiveHandler(engine, req, requestTarget(req)!);
      if (handler) return void handler(res);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = { port: (server.address() as AddressInfo).port, token: 'token' };
    guest = new GuestCopy(
      async () => endpoint,
      async () => {
        throw new Error('not used here');
      },
    );
  });

  after(() => {
    server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('a tar cut short in the guest fails the copy here with an error, and the guest is let go', async () => {
    const whole = await makeLayer([{ path: 'big', content: randomBytes(256 * 1024) }]);
    let guestSettled = false;
    copy = {
      readArchive: async (_ref, _path, _follow, consume) => {
        const tar = new PassThrough();
        tar.write(whole.subarray(0, 64 * 1024));
        setImmediate(() => tar.destroy(new Error('the guest lost its disk')));
        try {
          await consume(tar, 'file', 'big');
        } finally {
          guestSettled = true;
        }
      },
    };
    const dest = mkdtempSync(join(work, 'cut-'));
    await assert.rejects(
      guest.readArchive('c', '/big', false, (tar) => extractArchive(dest, dest, tar, { keepOwners: false, ownerInRoot: false })),
      (err: unknown) => err instanceof StevedoreError,
    );
    assert.ok(guestSettled, "the guest's copy ended (a running container is thawed when it does)");
  });

  it('a copy given up here hangs up, and the guest’s copy ends (a frozen container is thawed)', { timeout: 30_000 }, async () => {
    let guestEnded!: () => void;
    const ended = new Promise<void>((resolve) => {
      guestEnded = resolve;
    });
    copy = {
      readArchive: async (_ref, _path, _follow, consume) => {
        // More than any buffer on the way holds: the guest waits on the host to read.
        const tar = new Readable({
          read() {
            this.push(randomBytes(64 * 1024));
          },
        });
        try {
          await consume(tar, 'directory', 'tree');
        } finally {
          guestEnded();
        }
      },
    };
    await assert.rejects(
      guest.readArchive('c', '/tree', false, async () => {
        throw new StevedoreError('INVALID_ARGUMENT', 'cannot copy a directory to a file: here');
      }),
      { code: 'INVALID_ARGUMENT', message: 'cannot copy a directory to a file: here' },
    );
    await ended;
  });

  it("the guest's refusal arrives with its code and its sentence", async () => {
    copy = {
      readArchive: async (ref, path) => {
        throw new StevedoreError('NOT_FOUND', `Could not find the file ${path} in container ${ref}: no such file or directory`);
      },
      stat: async () => undefined,
    };
    await assert.rejects(
      guest.readArchive('web', '/nope', false, async () => undefined),
      {
        code: 'NOT_FOUND',
        message: 'Could not find the file /nope in container web: no such file or directory',
      },
    );
    assert.equal(await guest.stat('web', '/nope'), undefined);
  });

  it('a tar made as it is sent arrives whole, with the copy options', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    let received: { ref: string; path: string; options: ExtractOptions; sha: string } | undefined;
    copy = {
      writeArchive: async (ref, path, tar, options) => {
        const hash = createHash('sha256');
        for await (const chunk of tar) hash.update(chunk as Buffer);
        received = { ref, path, options, sha: hash.digest('hex') };
      },
      stat: async (): Promise<PathKind> => 'directory',
    };
    // No length known beforehand: chunked, as a tar of a tree is made while it is sent.
    const source = Readable.from(
      (function* () {
        for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
      })(),
    );
    await guest.writeArchive('web', '/srv', source, { keepOwners: true, rename: { from: 'a b', to: 'c&d' } });
    assert.deepEqual(received, {
      ref: 'web',
      path: '/srv',
      options: { keepOwners: true, rename: { from: 'a b', to: 'c&d' } },
      sha: createHash('sha256').update(bytes).digest('hex'),
    });
    assert.equal(await guest.stat('web', '/srv'), 'directory');
  });
});
