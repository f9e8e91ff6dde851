import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath } from '../testkit/cli.js';
import { openEngineSocket } from '../testkit/daemon.js';
import { eventually } from '../testkit/eventually.js';
import { busyboxLayer, makeLayer } from '../testkit/layers.js';
import { machineTestSkipReason, userStoreWithGuest } from '../testkit/machineSetup.js';
import { ensureTestUser, type NormalUser, stevedoreAs, userDir, userEnv, userTempDir } from '../testkit/normalUser.js';
import { writeLayout } from '../testkit/ociLayout.js';

// docker's everyday commands through a Stevedore machine (issue 17 on the vm runtime of issue 13):
// cp both ways, export, top, rename, diff, create + start -a and commit, as a normal user whose
// containers run in the guest, the real CLI all the way. One boot for the whole file (TCG is slow).
const skip = machineTestSkipReason();
if (skip) console.log(`# VM commands test skipped: ${skip}`);

/** The applets these tests use in a container: busybox with what changes files and shows them. */
const TOOLS = ['sh', 'echo', 'cat', 'ls', 'true', 'sleep', 'stat', 'rm', 'mkdir', 'chmod', 'touch'];

describe('docker commands through the machine, as a normal user', { skip: skip || false, timeout: 900_000 }, () => {
  let user: NormalUser;
  let work: string;
  let root: string;
  const as = (args: string[], input?: string) =>
    stevedoreAs(user, root, args, { env: { STEVEDORE_RUNTIME: 'vm' }, ...(input === undefined ? {} : { input }) });
  const ok = (args: string[], input?: string) => {
    const r = as(args, input);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  /** A shell line run as the user, with `stevedore` meaning the built CLI on this store through the machine. */
  const shellAs = (line: string) => {
    const r = spawnSync('sh', ['-c', line], {
      encoding: 'utf8',
      uid: user.uid,
      gid: user.gid,
      cwd: work,
      env: { ...userEnv(user), STEVEDORE: `${process.execPath} ${cliPath} --root ${root}` },
      maxBuffer: 64 << 20,
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  before(async () => {
    user = ensureTestUser();
    work = userTempDir(user, 'stevedore-vmcmd-');
    root = await userStoreWithGuest(user, work, { init: true });
    // tools:v1 (busybox with stat, rm, touch…), written here and loaded by the user.
    const layout = userDir(user, join(work, 'tools-layout'));
    writeLayout(layout, [
      {
        refName: 'v1',
        layers: [
          await busyboxLayer(TOOLS),
          await makeLayer([
            { path: 'etc/', type: 'directory' },
            { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
          ]),
        ],
        config: { Cmd: ['sh'] },
      },
    ]);
    spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, layout]);
    ok(['load', '-i', layout, '--name', 'tools']);
  });

  after(() => {
    if (root) as(['machine', 'rm', '-f']);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('create makes a container in the machine, and start -a runs it with its output and exit code', () => {
    const id = ok([
      'create',
      '--name',
      'made',
      // Its host port is chosen now, and forwarded only once it starts: ps shows none before.
      '-p',
      '127.0.0.1::80',
      'tools:v1',
      'sh',
      '-c',
      'echo from create; echo to stderr >&2; exit 3',
    ]).stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const listed = JSON.parse(ok(['ps', '-a', '--json']).stdout) as {
      id: string;
      name: string;
      state: string;
      ports: unknown[];
    }[];
    assert.deepEqual(
      listed.map((c) => [c.id, c.name, c.state, c.ports]),
      [[id, 'made', 'created', []]],
    );
    const started = as(['start', '-a', 'made']);
    assert.equal(started.code, 3, started.stderr);
    assert.equal(started.stdout, 'from create\n');
    assert.match(started.stderr, /^to stderr$/m);
    ok(['rm', 'made']);
  });

  it('cp copies a tree into a container and back out, keeping modes and links', () => {
    const tree = userDir(user, join(work, 'tree'));
    writeFileSync(join(tree, 'run.sh'), '#!/bin/sh\necho ran\n');
    writeFileSync(join(tree, 'secret'), 'only mine\n');
    mkdirSync(join(tree, 'sub'));
    writeFileSync(join(tree, 'sub', 'note'), 'a note\n');
    symlinkSync('run.sh', join(tree, 'link'));
    for (const [path, mode] of [
      ['run.sh', 0o755],
      ['secret', 0o600],
      ['sub', 0o711],
      ['sub/note', 0o640],
    ] as const) {
      chmodSync(join(tree, path), mode);
    }
    chmodSync(tree, 0o750);
    spawnSync('chown', ['-R', '-h', `${user.uid}:${user.gid}`, tree]);

    ok(['run', '-d', '--name', 'files', 'tools:v1', 'sleep', '1000']);
    ok(['cp', tree, 'files:/copied']);
    // In the container: the modes as on the host, root's (docker cp without -a), the link a link.
    const seen = ok([
      'exec',
      'files',
      'stat',
      '-c',
      '%a %u:%g %F %n',
      '/copied',
      '/copied/run.sh',
      '/copied/secret',
      '/copied/sub',
      '/copied/sub/note',
      '/copied/link',
    ]).stdout;
    assert.equal(
      seen,
      [
        '750 0:0 directory /copied',
        '755 0:0 regular file /copied/run.sh',
        '600 0:0 regular file /copied/secret',
        '711 0:0 directory /copied/sub',
        '640 0:0 regular file /copied/sub/note',
        '777 0:0 symbolic link /copied/link',
        '',
      ].join('\n'),
    );
    assert.equal(ok(['exec', 'files', '/copied/link']).stdout, 'ran\n');
    // A file given a new name in the container, and one from stdin's tar.
    ok(['cp', join(tree, 'sub', 'note'), 'files:/renamed-note']);
    assert.equal(ok(['exec', 'files', 'cat', '/renamed-note']).stdout, 'a note\n');
    const piped = shellAs(`tar -C ${tree} -cf - secret | $STEVEDORE cp - files:/`);
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(ok(['exec', 'files', 'stat', '-c', '%a %u %s', '/secret']).stdout, '600 0 10\n');

    // Changed in the container, then copied out: the caller's files, with the container's modes.
    ok(['exec', 'files', 'sh', '-c', 'echo changed inside > /copied/sub/note; chmod 604 /copied/sub/note']);
    const out = join(work, 'out');
    ok(['cp', 'files:/copied', out]);
    const mode = (p: string) => lstatSync(join(out, p)).mode & 0o7777;
    assert.equal(mode(''), 0o750);
    assert.equal(mode('run.sh'), 0o755);
    assert.equal(mode('secret'), 0o600);
    assert.equal(mode('sub'), 0o711);
    assert.equal(mode('sub/note'), 0o604);
    assert.equal(readFileSync(join(out, 'sub', 'note'), 'utf8'), 'changed inside\n');
    assert.equal(readFileSync(join(out, 'secret'), 'utf8'), 'only mine\n');
    assert.equal(readlinkSync(join(out, 'link')), 'run.sh');
    assert.equal(lstatSync(join(out, 'run.sh')).uid, user.uid);
    // A single file to a new name here, and to stdout as a tar.
    ok(['cp', 'files:/copied/run.sh', join(work, 'got.sh')]);
    assert.equal(readFileSync(join(work, 'got.sh'), 'utf8'), '#!/bin/sh\necho ran\n');
    const listed = shellAs('$STEVEDORE cp files:/copied/sub - | tar tvf -');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^-rw----r-- .* sub\/note$/m);

    // What is not there is said in one line, and nothing is made.
    const missing = as(['cp', 'files:/no-such-file', join(work, 'nothing')]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /^error: Could not find the file \/no-such-file in container files/);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    assert.throws(() => lstatSync(join(work, 'nothing')));
  });

  it('export writes the container’s whole filesystem as a tar, piped', () => {
    const r = shellAs('$STEVEDORE export files | tar tf -');
    assert.equal(r.code, 0, r.stderr);
    const names = r.stdout.split('\n');
    for (const name of ['bin/busybox', 'copied/run.sh', 'copied/sub/note', 'renamed-note']) {
      assert.ok(
        names.some((n) => n.replace(/^\.?\//, '') === name),
        `${name} in: ${r.stdout.slice(0, 400)}`,
      );
    }
  });

  it('the app’s Files tab lists a directory and downloads a file through the machine (the engine socket)', async () => {
    // The user's engine as the app runs it: `stevedore daemon`, its socket spoken to as the app does.
    const daemon = spawn(process.execPath, [cliPath, '--root', root, 'daemon'], {
      uid: user.uid,
      gid: user.gid,
      cwd: root,
      env: userEnv(user),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ended = new Promise((resolve) => daemon.once('exit', resolve));
    try {
      let output = '';
      const socketPath = await new Promise<string>((resolve, reject) => {
        const seen = (chunk: Buffer) => {
          output += chunk.toString();
          const line = /listening on (\S+)\n/.exec(output);
          if (line) resolve(line[1]!);
        };
        daemon.stdout.on('data', seen);
        daemon.stderr.on('data', seen);
        daemon.once('exit', (code) => reject(new Error(`the daemon exited (${code}): ${output}`)));
      });
      const ws = await openEngineSocket(socketPath);
      try {
        const invoke = (method: string, args: unknown) =>
          new Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>((resolve) => {
            const id = Math.floor(Math.random() * 1e9);
            ws.on('message', (data) => {
              const m = JSON.parse(String(data));
              if (m.kind === 'result' && m.id === id) resolve(m.response);
            });
            ws.send(JSON.stringify({ kind: 'invoke', id, method, args }));
          });
        const listed = await invoke('containers.files', { id: 'files', path: '/copied' });
        assert.equal(listed.ok, true, listed.error?.message);
        const entries = (listed.value as { entries: { name: string; type: string; mode: number }[] }).entries;
        assert.deepEqual(entries.map((e) => [e.name, e.type, e.mode]).sort(), [
          ['link', 'symlink', 0o777],
          ['run.sh', 'file', 0o755],
          ['secret', 'file', 0o600],
          ['sub', 'directory', 0o711],
        ]);
        const file = await invoke('containers.readFile', { id: 'files', path: '/copied/secret' });
        assert.equal(file.ok, true, file.error?.message);
        const { name, base64 } = file.value as { name: string; base64: string };
        assert.equal(name, 'secret');
        assert.equal(Buffer.from(base64, 'base64').toString(), 'only mine\n');
        const changes = await invoke('containers.diff', { id: 'files' });
        assert.equal(changes.ok, true, changes.error?.message);
        assert.ok((changes.value as { kind: string; path: string }[]).some((c) => c.kind === 'A' && c.path === '/copied'));
      } finally {
        ws.close();
      }
    } finally {
      daemon.kill('SIGTERM');
      await ended;
    }
  });

  it('top lists the container’s processes as ps shows them in the machine', () => {
    const r = ok(['top', 'files']);
    const [header, ...rows] = r.stdout.trim().split('\n');
    assert.match(header!, /\bPID\b/);
    assert.match(header!, /\bCMD\b/);
    assert.ok(
      rows.some((row) => /sleep 1000$/.test(row)),
      r.stdout,
    );
  });

  it('rename gives the container a new name; the old one is free and a taken one refused', () => {
    const { id } = JSON.parse(ok(['inspect', '--json', 'files']).stdout) as { id: string };
    ok(['rename', 'files', 'kept']);
    const listed = JSON.parse(ok(['ps', '--json']).stdout) as { id: string; name: string }[];
    assert.deepEqual(
      listed.map((c) => [c.id, c.name]),
      [[id, 'kept']],
    );
    assert.equal(ok(['exec', 'kept', 'cat', '/renamed-note']).stdout, 'a note\n');
    ok(['run', '-d', '--name', 'files', 'tools:v1', 'sleep', '1000']);
    const taken = as(['rename', 'kept', 'files']);
    assert.notEqual(taken.code, 0);
    assert.match(taken.stderr, /^error: the container name "files" is already in use$/m);
    ok(['rm', '-f', 'files']);
  });

  it('diff lists what a container added, changed and deleted, as docker does', async () => {
    ok([
      'run',
      '-d',
      '--name',
      'changer',
      'tools:v1',
      'sh',
      '-c',
      'echo made > /made.txt; rm /bin/ls; echo "app:x:1000:1000::/:/bin/sh" >> /etc/passwd; exec sleep 1000',
    ]);
    await eventually(
      () => assert.equal(ok(['diff', 'changer']).stdout, 'C /bin\nD /bin/ls\nC /etc\nC /etc/passwd\nA /made.txt\n'),
      60_000,
      200,
    );
  });

  it('commit makes the image in the host store from the layer the guest made, and it runs', () => {
    const imageId = ok(['commit', '-c', 'CMD ["cat", "/made.txt"]', 'changer', 'committed:v1']).stdout.trim();
    assert.match(imageId, /^sha256:[0-9a-f]{64}$/);
    // In the host's store, by that ID, one layer over the base's.
    const images = JSON.parse(ok(['images', '--json']).stdout) as { id: string; repository: string; tag: string }[];
    assert.ok(
      images.some((i) => i.id === imageId && i.repository === 'committed' && i.tag === 'v1'),
      JSON.stringify(images),
    );
    const inspected = JSON.parse(ok(['inspect', '--json', '--type', 'image', 'committed:v1']).stdout) as {
      id: string;
      layers: { digest: string; diffId: string }[];
    };
    assert.equal(inspected.id, imageId);
    const layers = inspected.layers;
    assert.equal(layers.length, 3, 'the base image’s two layers and the commit’s');
    // The layer is the guest's: the same blob is in the guest's store, made there.
    const top = layers[2]!.digest.slice('sha256:'.length);
    const there = ok(['machine', 'shell', '-T', '--', 'sh', '-c', `ls /var/lib/stevedore/store/oci/blobs/sha256/${top}`]);
    assert.match(there.stdout, new RegExp(top));
    // Every blob of the host's store checks against its digest.
    ok(['fsck']);
    // And it runs (sent back into the machine like any image): the change is in it.
    const r = ok(['run', '--rm', 'committed:v1']);
    assert.equal(r.stdout, 'made\n');
    assert.equal(ok(['run', '--rm', 'committed:v1', 'sh', '-c', '[ -e /bin/ls ] || echo gone']).stdout, 'gone\n');
    ok(['rm', '-f', 'changer', 'kept']);
  });
});
