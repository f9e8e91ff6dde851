import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath, stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { eventually } from '../../testkit/eventually.js';
import { tempDir } from '../../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');

const ok = (args: string[]) => {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/**
 * A shell loop appending to a file of the host about a hundred times a second: its size is
 * progress anyone can read. (As fast as it could, two of them kept both of the machine's cores
 * busy for the whole test, beside the suite's other file.)
 */
function counter(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  ok([
    'run',
    '-d',
    '--name',
    name,
    '-v',
    `${dir}:/out`,
    'box:v1',
    'sh',
    '-c',
    'while true; do echo x >> /out/n; sleep 0.01; done',
  ]);
  return join(dir, 'n');
}

function count(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

async function advanced(file: string, beyond: number): Promise<number> {
  let now = Number.NaN;
  await eventually(() => {
    now = count(file);
    assert.ok(now > beyond, `the counter (${now}) did not pass ${beyond}`);
  }, 60_000);
  return now;
}

describe('pause, unpause and stats (real runc)', () => {
  before(async () => {
    await loadBoxImage(root, work);
  });

  after(() => {
    for (const id of ok(['ps', '-a', '-q', '--no-trunc']).split('\n').filter(Boolean)) stevedore(root, ['rm', '-f', id]);
  });

  it('pause freezes a busy loop (ps says Paused) and unpause lets it go on; stop ends a paused container', async () => {
    const frozen = counter('frozen');
    const clock = counter('clock');
    await advanced(frozen, 0);
    assert.equal(ok(['pause', 'frozen']), 'frozen\n');
    const ps = JSON.parse(ok(['ps', '--json'])) as { name: string; state: string }[];
    assert.equal(ps.find((c) => c.name === 'frozen')?.state, 'paused');
    assert.match(ok(['ps']), /Up (Less than a second|\d+ seconds?) \(Paused\)\s+frozen$/m);

    // The same loop, not paused, is the clock: once it has counted a good many more, the frozen
    // one, had it run at all, would have moved too.
    const at = await advanced(frozen, 0);
    await advanced(clock, (await advanced(clock, 0)) + 200);
    assert.equal(count(frozen), at, 'the paused loop did not move');

    // runc exec into a frozen cgroup would hang: refused in docker's words instead (bounded here so a hang fails).
    const exec = spawnSync(process.execPath, [cliPath, '--root', root, 'exec', 'frozen', 'true'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.notEqual(exec.status, 0, `exec ended: ${exec.signal ?? exec.status}`);
    assert.equal(exec.signal, null, 'exec did not hang');
    assert.match(exec.stderr, /^error: Container [0-9a-f]{64} is paused, unpause the container before exec\n$/);

    const again = stevedore(root, ['pause', 'frozen']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^error: cannot pause frozen: Container [0-9a-f]{64} is already paused\n$/);

    assert.equal(ok(['unpause', 'frozen']), 'frozen\n');
    await advanced(frozen, at);
    assert.equal(
      (JSON.parse(ok(['ps', '--json'])) as { name: string; state: string }[]).find((c) => c.name === 'frozen')?.state,
      'running',
    );
    const notPaused = stevedore(root, ['unpause', 'frozen']);
    assert.match(notPaused.stderr, /Container [0-9a-f]{64} is not paused\n$/);

    ok(['pause', 'frozen']);
    ok(['stop', '-t', '1', 'frozen']);
    const stopped = (JSON.parse(ok(['ps', '-a', '--json'])) as { name: string; state: string }[]).find(
      (c) => c.name === 'frozen',
    );
    assert.equal(stopped?.state, 'exited');
    ok(['rm', '-f', 'clock']);
  });

  it('stats --no-stream shows a busy container’s CPU above zero, with its memory, net and block I/O; --format as docker’s', async () => {
    // Held to half a core: busy all the same, without taking a core from the suite's other file.
    ok(['run', '-d', '--name', 'busy', '--cpus', '0.5', 'box:v1', 'sh', '-c', 'while true; do :; done']);
    ok(['run', '-d', '--name', 'idle', 'box:v1', 'sleep', '1000']);
    const out = ok(['stats', '--no-stream', 'busy', 'idle']);
    const [header, ...rows] = out.trimEnd().split('\n');
    assert.match(header ?? '', /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
    const busy = rows.find((r) => /\sbusy\s/.test(r)) ?? '';
    const match = /^[0-9a-f]{12}\s+busy\s+(\d+\.\d\d)%\s+(\S+) \/ (\S+)\s+\d+\.\d\d%\s+\S+ \/ \S+\s+\S+ \/ \S+\s+(\d+)$/.exec(
      busy,
    );
    assert.ok(match, `a stats row for busy: ${out}`);
    assert.ok(Number(match[1]) > 10, `busy uses CPU: ${match[1]}%`);
    assert.notEqual(match[2], '0B', 'some memory in use');
    assert.equal(match[4], '1');
    const json = JSON.parse(ok(['stats', '--no-stream', '--json', 'busy'])) as { cpuPercent: number; memoryUsageBytes: number }[];
    assert.ok(json[0]!.cpuPercent > 10);
    assert.ok(json[0]!.memoryUsageBytes > 0);
    // docker's --format: its fields, and `table` with its headers.
    const formatted = ok(['stats', '--no-stream', '--format', 'table {{.Container}}\t{{.Name}}\t{{.PIDs}}', 'idle', 'busy']);
    assert.match(formatted, /^CONTAINER\s+NAME\s+PIDS\nidle\s+idle\s+1\nbusy\s+busy\s+1\n$/);
    assert.match(ok(['stats', '--no-stream', '--format', '{{.Name}} {{.MemPerc}}', 'busy']), /^busy \d+\.\d\d%\n$/);

    // Streamed: a new reading about every second, until stopped.
    const child = spawn(process.execPath, [cliPath, '--root', root, 'stats', 'busy'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let streamed = '';
    child.stdout.on('data', (c) => (streamed += c));
    try {
      await eventually(() => assert.ok((streamed.match(/^CONTAINER ID/gm) ?? []).length >= 3, streamed), 60_000);
    } finally {
      child.kill('SIGINT');
    }
    assert.match(streamed, /\sbusy\s+\d+\.\d\d%/);

    const stopped = stevedore(root, ['stats', '--no-stream', 'nosuch']);
    assert.equal(stopped.code, 1);
    assert.match(stopped.stderr, /no such container: nosuch/);
  });
});
