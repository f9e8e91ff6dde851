import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extract as tarExtract } from 'tar-stream';
import { cliPath, stevedore } from '../testkit/cli.js';
import { loadBoxImage } from '../testkit/containerImages.js';
import { eventually } from '../testkit/eventually.js';
import { busyboxLayer, makeLayer } from '../testkit/layers.js';
import { tempDir } from '../testkit/tempDir.js';
import { snapshotTree } from '../testkit/treeSnapshot.js';

/** issue 17's everyday commands, against the built CLI with real runc. */
const work = tempDir();
const root = join(work, 'store');
/** A host directory the hostile image's symlink names: nothing may land in it. */
const victim = join(work, 'victim');

const ok = (args: string[], input?: string | Buffer) => {
  const r = stevedore(root, args, input);
  assert.equal(r.code, 0, `stevedore ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/** The tree the cp tests send in and expect back: modes, a symlink, fixed mtimes. */
function makeTree(dir: string): void {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'secret'), 'only mine\n');
  chmodSync(join(dir, 'secret'), 0o600);
  writeFileSync(join(dir, 'tool'), '#!/bin/sh\necho tool\n');
  chmodSync(join(dir, 'tool'), 0o755);
  writeFileSync(join(dir, 'sub', 'plain'), 'plain\n');
  chmodSync(join(dir, 'sub', 'plain'), 0o644);
  chmodSync(join(dir, 'sub'), 0o750);
  symlinkSync('secret', join(dir, 'link'));
  const when = new Date('2020-02-02T02:02:02Z');
  for (const p of ['secret', 'tool', 'sub/plain', 'sub', '.']) utimesSync(join(dir, p), when, when);
}

/** The fields of docker's inspect JSON the test reads. */
interface DockerContainerJson {
  Id: string;
  Name: string;
  Path: string;
  Args: string[];
  Image: string;
  State: { Status: string; Running: boolean; Pid: number };
  Config: { Image: string; Cmd: string[]; WorkingDir: string; Env: string[] };
}
interface DockerImageJson {
  Id: string;
  RepoTags: string[];
  RootFS: { Type: string; Layers: string[] };
  Config: { Cmd: string[] };
}

/** Other processes whose command line names `text` (conmon and its exit commands, for a store root). */
function processesNaming(text: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const mtime = (path: string) => Math.floor(lstatSync(path).mtimeMs / 1000);

function tarNames(tar: Buffer): Promise<Map<string, { mode: number; type: string }>> {
  return new Promise((resolve, reject) => {
    const names = new Map<string, { mode: number; type: string }>();
    const ex = tarExtract();
    ex.on('entry', (header, body, next) => {
      names.set(header.name, { mode: header.mode ?? 0, type: header.type ?? '' });
      body.resume();
      body.on('end', next);
    });
    ex.on('finish', () => resolve(names));
    ex.on('error', reject);
    ex.end(tar);
  });
}

describe('everyday commands (issue 17)', () => {
  const started: string[] = [];
  before(async () => {
    mkdirSync(victim, { recursive: true });
    writeFileSync(join(victim, 'keep'), 'untouched\n');
    await loadBoxImage(root, work, [
      {
        refName: 'hostile',
        layers: [
          await busyboxLayer(['sh', 'sleep', 'cat', 'ls']),
          // An absolute symlink to a host directory: followed on the host it would leave the rootfs.
          // The same path inside the image, so that the link resolves there (confined) to a directory.
          await makeLayer([
            ...victim
              .slice(1)
              .split('/')
              .map((_, i, parts) => ({ path: `${parts.slice(0, i + 1).join('/')}/`, type: 'directory' as const })),
            { path: 'escape', type: 'symlink', linkname: victim },
          ]),
        ],
        config: { Cmd: ['sleep', '1000'] },
      },
    ]);
  });
  after(async () => {
    for (const name of started) stevedore(root, ['rm', '-f', name]);
    // rm deletes a container's files in the background: wait for that before the temp dir goes.
    const trash = join(root, 'tmp', 'trash');
    await eventually(() => assert.deepEqual(existsSync(trash) ? readdirSync(trash) : [], []), 30_000);
    // and conmon's exit commands, which write to the store, to have ended.
    await eventually(() => assert.deepEqual(processesNaming(root), []), 30_000);
  });

  it('events, started first, streams the start and the die of a container run after it', async () => {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    const child = spawn(process.execPath, [
      cliPath,
      '--root',
      root,
      'events',
      '--since',
      since,
      '--filter',
      'type=container',
      '--filter',
      'container=ev',
      '--format',
      '{{json .}}',
    ]);
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    try {
      started.push('ev');
      ok(['run', '-d', '--name', 'ev', 'box:v1', 'sh', '-c', 'exit 3']);
      await eventually(() => {
        const events = out
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l));
        const actions = events.map((e) => e.Action);
        assert.deepEqual(actions, ['create', 'start', 'die']);
        const die = events[2];
        assert.equal(die.Type, 'container');
        assert.equal(die.Actor.Attributes.name, 'ev');
        assert.equal(die.Actor.Attributes.image, 'box:v1');
        assert.equal(die.Actor.Attributes.exitCode, '3');
        assert.equal(die.status, 'die');
      }, 20_000);
      assert.equal(child.exitCode, null, 'events keeps following');
    } finally {
      child.kill();
    }
    // The plain line, as docker prints it, and a bounded window that ends by itself.
    const until = String(Math.floor(Date.now() / 1000) + 1);
    const plain = ok(['events', '--since', since, '--until', until, '--filter', 'event=die']);
    assert.match(
      plain,
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z container die [0-9a-f]{64} \(exitCode=3, image=box:v1, name=ev\)$/m,
    );
  });

  it('cp round-trips a tree with its modes, symlink and mtimes, into and out of a running and a stopped container', () => {
    const tree = join(work, 'tree');
    makeTree(tree);
    started.push('cpbox');
    ok(['run', '-d', '--name', 'cpbox', 'box:v1', 'sleep', '1000']);
    ok(['cp', tree, 'cpbox:/dst']);
    assert.equal(ok(['exec', 'cpbox', 'cat', '/dst/link']), 'only mine\n');
    const back = join(work, 'back');
    ok(['cp', '-a', 'cpbox:/dst', back]);
    assert.deepEqual(snapshotTree(back), snapshotTree(tree));
    for (const p of ['secret', 'tool', 'sub', 'sub/plain']) assert.equal(mtime(join(back, p)), mtime(join(tree, p)), p);

    ok(['stop', '-t', '0', 'cpbox']);
    const stopped = join(work, 'stopped');
    ok(['cp', 'cpbox:/dst', stopped]);
    assert.deepEqual(snapshotTree(stopped), snapshotTree(tree));
    // Into a stopped container, seen by its next run.
    ok(['cp', join(tree, 'tool'), 'cpbox:/bin/tool2']);
    ok(['start', 'cpbox']);
    assert.equal(ok(['exec', 'cpbox', 'cat', '/bin/tool2']), '#!/bin/sh\necho tool\n');
  });

  it('cp - writes a tar stream to stdout and reads one from stdin', async () => {
    const r = stevedore(root, ['cp', 'cpbox:/dst', '-']);
    assert.equal(r.code, 0, r.stderr);
    // spawnSync with utf8 mangles bytes: read the tar again as a buffer.
    const { spawnSync } = await import('node:child_process');
    const raw = spawnSync(process.execPath, [cliPath, '--root', root, 'cp', 'cpbox:/dst', '-']);
    const names = await tarNames(raw.stdout);
    assert.equal(names.get('dst/secret')?.mode, 0o600);
    assert.equal(names.get('dst/link')?.type, 'symlink');
    const tar = await makeLayer([
      { path: 'fromstdin/', type: 'directory' },
      { path: 'fromstdin/f', content: 'in\n', mode: 0o640 },
    ]);
    ok(['cp', '-', 'cpbox:/dst'], tar);
    assert.equal(ok(['exec', 'cpbox', 'ls', '-l', '/dst/fromstdin/f']).slice(0, 10), '-rw-r-----');
  });

  it('inspect prints docker’s JSON array for several refs, --format, image and container inspect; --json keeps Stevedore’s shape', () => {
    const both = JSON.parse(ok(['inspect', 'cpbox', 'box:v1'])) as [DockerContainerJson, DockerImageJson];
    assert.equal(both.length, 2);
    const [c, i] = both;
    assert.match(c.Id, /^[0-9a-f]{64}$/);
    assert.equal(c.Name, '/cpbox');
    assert.equal(c.Path, 'sleep');
    assert.deepEqual(c.Args, ['1000']);
    assert.equal(c.State.Status, 'running');
    assert.equal(c.State.Running, true);
    assert.ok(c.State.Pid > 0);
    assert.equal(c.Config.Image, 'box:v1');
    assert.deepEqual(c.Config.Cmd, ['sleep', '1000']);
    assert.equal(c.Config.WorkingDir, '/work');
    assert.ok(c.Config.Env.includes('GREETING=hi'));
    assert.equal(c.Image, i.Id);
    assert.ok(i.RepoTags.includes('box:v1'), JSON.stringify(i.RepoTags));
    assert.equal(i.RootFS.Type, 'layers');
    assert.equal(i.RootFS.Layers.length, 2);
    assert.deepEqual(i.Config.Cmd, ['echo', 'hello from the image']);
    assert.equal(ok(['inspect', '-f', '{{.State.Status}} {{.Name}}', 'cpbox']), 'running /cpbox\n');
    assert.equal(ok(['container', 'inspect', '--format', '{{json .Config.Cmd}}', 'cpbox']), '["sleep","1000"]\n');
    assert.equal(ok(['image', 'inspect', '-f', '{{.Os}}', 'box:v1']), 'linux\n');
    const own = JSON.parse(ok(['inspect', '--json', 'cpbox'])) as { name: string; state: string };
    assert.equal(own.name, 'cpbox');
    const missing = stevedore(root, ['inspect', 'cpbox', 'no-such-thing']);
    assert.equal(missing.code, 1);
    assert.equal((JSON.parse(missing.stdout) as unknown[]).length, 1);
    assert.match(missing.stderr, /^error: .*no-such-thing/m);
  });

  it('top lists the container’s processes in docker’s columns; rename renames; diff lists A/C/D; export writes the rootfs', async () => {
    started.push('chg', 'changed');
    ok([
      'run',
      '-d',
      '--name',
      'chg',
      'box:v1',
      'sh',
      '-c',
      'echo new > /bin/added; rm /bin/true; echo > /etc/passwd; exec sleep 1000',
    ]);
    await eventually(() => assert.match(ok(['diff', 'chg']), /^D \/bin\/true$/m));
    // The WORKDIR the image names and lacks is made at the start, as docker makes it in the container's layer.
    assert.equal(ok(['diff', 'chg']), 'C /bin\nA /bin/added\nD /bin/true\nC /etc\nC /etc/passwd\nA /work\n');
    assert.equal(ok(['container', 'diff', 'chg']), ok(['diff', 'chg']));
    const top = ok(['top', 'chg']).split('\n');
    assert.match(top[0] ?? '', /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    assert.ok(
      top.some((l) => /\ssleep 1000$/.test(l)),
      top.join('\n'),
    );
    ok(['rename', 'chg', 'changed']);
    assert.equal(ok(['inspect', '-f', '{{.Name}} {{.State.Status}}', 'changed']), '/changed running\n');
    assert.equal(stevedore(root, ['inspect', '--type', 'container', 'chg']).code, 1);
    const taken = stevedore(root, ['rename', 'changed', 'cpbox']);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /already in use/);
    const out = join(work, 'export.tar');
    ok(['export', '-o', out, 'changed']);
    const names = await tarNames(readFileSync(out));
    assert.ok(names.has('bin/added'), [...names.keys()].join(' '));
    assert.ok(names.has('bin/busybox'));
    assert.equal(names.has('bin/true'), false);
  });

  it('version prints the client and the engine in docker’s layout; system prune removes stopped containers', () => {
    const version = ok(['version']);
    assert.match(version, /^Client:\n Version: +\S+\n/);
    assert.match(version, /\nServer: Stevedore Engine\n Engine:\n {2}Version: +\S+/);
    assert.match(ok(['version', '--format', '{{.Client.Version}}']), /^\d+\.\d+\.\d+/);
    started.push('gone');
    ok(['run', '--name', 'gone', 'box:v1', 'true']);
    const pruned = ok(['system', 'prune', '-f']);
    assert.match(pruned, /^Deleted Containers:\n[0-9a-f]{64}\n/);
    assert.match(pruned, /Total reclaimed space: /);
    assert.equal(stevedore(root, ['inspect', '--type', 'container', 'gone']).code, 1);
    assert.equal(stevedore(root, ['inspect', '--type', 'container', 'cpbox']).code, 0);
  });

  it('commit makes an image of a container’s changes (-c CMD); import makes one of an exported tar', async () => {
    started.push('cm');
    ok(['run', '-d', '--name', 'cm', 'box:v1', 'sh', '-c', 'echo committed > /made; rm /bin/true; exec sleep 1000']);
    await eventually(() => assert.match(ok(['diff', 'cm']), /^A \/made$/m));
    const id = ok(['commit', '-c', 'CMD ["cat", "/made"]', '-m', 'by the test', 'cm', 'made:1']).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(ok(['run', '--rm', 'made:1']), 'committed\n');
    assert.equal(stevedore(root, ['run', '--rm', 'made:1', 'true']).code, 127, 'the deletion is in the layer too');
    const image = JSON.parse(ok(['image', 'inspect', 'made:1'])) as [DockerImageJson];
    assert.equal(image[0].RootFS.Layers.length, 3);
    const tar = join(work, 'cm.tar');
    ok(['export', '-o', tar, 'cm']);
    const imported = ok(['import', '-c', 'CMD ["cat", "/made"]', tar, 'imported:1']).trim();
    assert.match(imported, /^sha256:[0-9a-f]{64}$/);
    assert.equal(ok(['run', '--rm', 'imported:1']), 'committed\n');
    const flat = JSON.parse(ok(['image', 'inspect', 'imported:1'])) as [DockerImageJson];
    assert.equal(flat[0].RootFS.Layers.length, 1);
  });

  it('start -a prints the run’s output and exits with the container’s code', async () => {
    started.push('sa');
    ok(['run', '-d', '--name', 'sa', 'box:v1', 'sh', '-c', 'echo out; echo err >&2; exit 4']);
    await eventually(() => assert.equal(ok(['inspect', '-f', '{{.State.Status}}', 'sa']), 'exited\n'));
    const r = stevedore(root, ['start', '-a', 'sa']);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
  });

  it('create makes a container that ps -a shows as Created and start -a runs; a bad flag is refused with 125', () => {
    started.push('made');
    const id = ok(['create', '--name', 'made', '-e', 'WHO=created', 'box:v1', 'sh', '-c', 'echo "$WHO"; exit 5']).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.match(ok(['ps', '-a', '--filter', 'name=made']), /\bCreated\b/);
    assert.equal(ok(['inspect', '-f', '{{.State.Status}}', 'made']), 'created\n');
    const r = stevedore(root, ['start', '-a', 'made']);
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stdout, 'created\n');
    const bad = stevedore(root, ['create', '--memory', 'lots', 'box:v1']);
    assert.equal(bad.code, 125);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  });

  it('cp keeps a hostile symlink inside the container, both ways', () => {
    const victimBefore = snapshotTree(victim);
    started.push('hostile');
    ok(['run', '-d', '--name', 'hostile', 'box:hostile']);
    const file = join(work, 'payload');
    writeFileSync(file, 'payload\n');
    ok(['cp', file, 'hostile:/escape/planted']);
    ok(['cp', file, 'hostile:/escape/keep']);
    assert.deepEqual(snapshotTree(victim), victimBefore);
    assert.equal(existsSync(join(victim, 'planted')), false);
    // The container sees what was written inside its own tree, where the link points there.
    assert.equal(ok(['exec', 'hostile', 'cat', `${victim}/planted`]), 'payload\n');
    // Out: the host's file behind the link is not what comes back.
    const out = join(work, 'hostile-out');
    ok(['cp', 'hostile:/escape/keep', out]);
    assert.equal(readFileSync(out, 'utf8'), 'payload\n');
    assert.equal(ok(['exec', 'hostile', 'cat', `${victim}/keep`]), 'payload\n');
    const r = stevedore(root, ['cp', 'hostile:/../../../../etc/shadow', join(work, 'shadow')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^error: .*no such file/im);
  });
});
