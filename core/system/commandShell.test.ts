import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/tempDir.js';
import { CommandShell, CommandShells } from './commandShell.js';

describe('CommandShell', () => {
  it("gives each command's status and stderr, drops its stdout, and passes arguments as they are", async () => {
    const shell = new CommandShell();
    assert.deepEqual(await shell.run(['sh', '-c', 'echo out; echo "it failed" >&2; exit 3']), {
      code: 3,
      stdout: '',
      stderr: 'it failed\n',
    });
    const file = join(tempDir(), 'it is here');
    const text = "a 'quoted' $HOME `x` \\ and\na second line";
    assert.deepEqual(await shell.run(['sh', '-c', 'printf %s "$1" > "$2"', '_', text, file]), {
      code: 0,
      stdout: '',
      stderr: '',
    });
    assert.equal(readFileSync(file, 'utf8'), text);
    const missing = await shell.run(['no-such-command-here']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /no-such-command-here: not found\n$/);
  });

  it('gives a command its input and, when asked, what it printed, as they are', async () => {
    const shell = new CommandShell();
    // A batch for ip, an nft script: lines, one of them a here-document's usual end word.
    const input = "link add a type dummy\nEOF\n'quoted' $HOME `x`\nno newline at the end";
    assert.deepEqual(await shell.run(['cat'], { input, keepStdout: true }), { code: 0, stdout: `${input}\n`, stderr: '' });
    assert.deepEqual(await shell.run(['printf', 'two\nlines\n'], { keepStdout: true }), {
      code: 0,
      stdout: 'two\nlines\n',
      stderr: '',
    });
    assert.deepEqual(await shell.run(['printf', 'no end'], { keepStdout: true }), { code: 0, stdout: 'no end', stderr: '' });
    assert.deepEqual(await shell.run(['cat'], { input: '', keepStdout: true }), { code: 0, stdout: '', stderr: '' });
    // Without input the command reads nothing: it does not eat the shell's own commands.
    assert.deepEqual(await shell.run(['cat'], { keepStdout: true }), { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(await shell.run(['echo', 'still here'], { keepStdout: true }), {
      code: 0,
      stdout: 'still here\n',
      stderr: '',
    });
  });

  it('runs a program as spawn() finds it on PATH, not an applet of the shell with that name', async () => {
    // BusyBox's sh, as in a machine's guest: it prefers its own `ip` to iproute2's.
    const busyboxSh = join(tempDir(), 'sh');
    symlinkSync('/bin/busybox', busyboxSh);
    const r = await new CommandShell(busyboxSh).run(['ip', '-V'], { keepStdout: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /iproute2/);
  });

  it('several shells run calls made together side by side', async () => {
    const shells = new CommandShells(2);
    const flag = join(tempDir(), 'flag');
    // The first waits for what the second makes: one shell would run them one after the other, for ever.
    const [waited, made] = await Promise.all([
      shells.run(['sh', '-c', 'while [ ! -e "$1" ]; do sleep 0.01; done; echo waited >&2', '_', flag]),
      shells.run(['touch', flag]),
    ]);
    assert.deepEqual(
      [waited, made],
      [
        { code: 0, stdout: '', stderr: 'waited\n' },
        { code: 0, stdout: '', stderr: '' },
      ],
    );
  });

  it('runs calls made together one after another, each with its own answer', async () => {
    const shell = new CommandShell();
    const results = await Promise.all([1, 2, 3, 4].map((n) => shell.run(['sh', '-c', `echo ${n} >&2; exit ${n}`])));
    assert.deepEqual(
      results,
      [1, 2, 3, 4].map((n) => ({ code: n, stdout: '', stderr: `${n}\n` })),
    );
  });

  it('a shell that ends fails the command it ran; the next command gets a new shell', async () => {
    const shell = new CommandShell();
    await assert.rejects(shell.run(['sh', '-c', 'kill -9 $PPID']), /ended/);
    assert.deepEqual(await shell.run(['true']), { code: 0, stdout: '', stderr: '' });
  });

  it('says so when there is no shell to start', async () => {
    const shell = new CommandShell('/no/such/shell');
    await assert.rejects(shell.run(['true']), /no shell to run true \(.*ENOENT/);
    await assert.rejects(shell.run(['true']), /no shell to run true/, 'the next call tries again, and says so again');
  });

  it('an idle shell does not keep its process running', () => {
    const script = join(tempDir(), 'once.mts');
    writeFileSync(
      script,
      `import { CommandShell } from ${JSON.stringify(join(projectRoot, 'core/system/commandShell.ts'))};\n` +
        "const { code } = await new CommandShell().run(['true']);\nconsole.log('done', code);\n",
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000, cwd: projectRoot });
    assert.equal(r.signal, null, 'it ended by itself');
    assert.equal(r.stdout, 'done 0\n', r.stderr);
  });
});
