import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandStartError } from './commandStartError.js';

// Each runtime's stderr as it is, taken from runc 1.1.5 and crun 1.8.1 (Debian 12).
const RUNC = {
  notFound:
    'time="2026-12-05T02:44:18Z" level=error msg="runc run failed: unable to start container process: exec: \\"nonexistent\\": executable file not found in $PATH"\n',
  denied:
    'time="2026-12-05T02:44:20Z" level=error msg="runc run failed: unable to start container process: exec: \\"/bin/noexec\\": permission denied"\n',
  noWorkdir:
    'time="2026-12-05T02:44:20Z" level=error msg="exec failed: unable to start container process: chdir to cwd (\\"/nodir\\") set in config.json failed: no such file or directory"\n',
};
const CRUN = {
  notFound: 'executable file `nonexistent` not found in $PATH: No such file or directory\n',
  denied: 'open executable: Permission denied\n',
  noWorkdir: 'chdir `/nodir`: No such file or directory\n',
};

describe('a command the runtime could not start, in docker’s words and exit codes', () => {
  for (const [runtime, words] of [
    ['runc', RUNC],
    ['crun', CRUN],
  ] as const) {
    it(`${runtime}: not in the image is 127, naming the command`, () => {
      const err = commandStartError(words.notFound, 'run', 'nonexistent', runtime);
      assert.equal(err?.exitCode, 127);
      assert.equal(err?.message, 'failed to create task for container: exec: "nonexistent": executable file not found in $PATH');
    });

    it(`${runtime}: not executable is 126, naming the command`, () => {
      const err = commandStartError(words.denied, 'run', '/bin/noexec', runtime);
      assert.equal(err?.exitCode, 126);
      assert.equal(err?.message, 'failed to create task for container: exec: "/bin/noexec": permission denied');
    });

    it(`${runtime}: exec into a working directory that is not there is 126`, () => {
      const err = commandStartError(words.noWorkdir, 'exec', 'true', runtime);
      assert.equal(err?.exitCode, 126);
      assert.equal(
        err?.message,
        'exec failed: unable to start container process: chdir to cwd ("/nodir") set in config.json failed: no such file or directory',
      );
    });
  }

  it('a container the runtime could not start for another reason is 125, in its words; a --ulimit it may not set is named', () => {
    const rlimit =
      'time="2026-12-07T04:19:06Z" level=error msg="runc run failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 8: operation not permitted"\n';
    const limited = commandStartError(rlimit, 'run', 'sh', 'runc');
    assert.equal(limited?.exitCode, 125);
    assert.equal(
      limited?.message,
      'failed to create task for container: --ulimit memlock could not be set (operation not permitted): a limit over the engine’s own hard limit needs more than it may do here',
    );
    const crun = commandStartError('setrlimit `RLIMIT_NOFILE`: Operation not permitted\n', 'run', 'sh', 'crun');
    assert.match(crun?.message ?? '', /--ulimit nofile could not be set \(operation not permitted\)/);
    const sysctl =
      'time="2026-12-07T04:20:00Z" level=error msg="runc run failed: unable to start container process: error during container init: open /proc/sys/net/ipv4/tcp_x: no such file or directory"\n';
    const other = commandStartError(sysctl, 'run', 'sh', 'runc');
    assert.equal(other?.exitCode, 125);
    assert.equal(
      other?.message,
      'failed to create task for container: unable to start container process: error during container init: open /proc/sys/net/ipv4/tcp_x: no such file or directory',
    );
  });

  it('takes a container’s own output for its own, and one runtime’s words not for the other’s', () => {
    assert.equal(commandStartError('hello\n', 'run', 'echo', 'crun'), undefined);
    assert.equal(commandStartError(CRUN.notFound, 'run', 'x', 'runc'), undefined);
    assert.equal(commandStartError(RUNC.notFound, 'run', 'x', 'crun'), undefined);
  });
});
