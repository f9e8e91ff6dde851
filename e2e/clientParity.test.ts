// Issue 15, acceptance 4: every CLI command's refusal is the same line, with the same exit code,
// whether the command runs in-process (no engine serves its store) or through `stevedore daemon`:
// both go through a Router (core/cli/engineClientFor.ts). The commands come from COMMAND_MODULES,
// so a new command is either given a case here or said to take nothing the contract validates.
// Which engine answered is told by the run itself (testkit/engineTrace.ts): a command whose work
// is contract calls must have been answered by the daemon, not by an engine of its own.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { COMMAND_MODULES } from '../core/cli/commandModules';
import { mayUseRunningEngine } from '../core/cli/inProcessCommands';
import { cliPath } from '../testkit/cli';
import { type Daemon, openEngineSocket, startDaemon } from '../testkit/daemon';
import { type EnginePath, engineTrace } from '../testkit/engineTrace';
import { tempDir } from '../testkit/tempDir';

const work = tempDir('stevedore-client-parity-');
// The daemon and the CLI read logins from the same place: the CLI may use the daemon.
process.env.DOCKER_CONFIG = join(work, 'docker-config');
const trace = engineTrace(work);

/**
 * Whether the command reaches the engine before it is refused (the contract's Router, a handler,
 * or the CLI on what the engine answered), or the CLI refuses it before any call.
 */
type By = 'engine' | 'cli';
interface Case {
  args: string[];
  by: By;
  input?: string;
  /** A command that runs in-process, handing this case's work to the engine serving the store (a run without -i or -t). */
  handedOver?: boolean;
}
const engine = (...args: string[]): Case => ({ args, by: 'engine' });
const handedOver = (...args: string[]): Case => ({ args, by: 'engine', handedOver: true });
const cli = (...args: string[]): Case => ({ args, by: 'cli' });
const missing = join(work, 'missing');

/** An invalid value for each command that takes arguments the contract (or the engine behind it) checks. */
const CASES: Record<string, Case[]> = {
  // The filter is the CLI's, applied to what images.list answered.
  images: [engine('images', '--filter', 'bogus=1')],
  tag: [engine('tag', '', 'x'), engine('tag', 'nope', 'x')],
  rmi: [engine('rmi', ''), engine('rmi', 'nope')],
  inspect: [engine('inspect', ''), engine('inspect', 'nope')],
  history: [engine('history', ''), engine('history', 'nope')],
  load: [engine('load', '-i', join(missing, 'none.tar'))],
  save: [engine('save', '-o', join(work, 'saved.tar'), 'nope')],
  unpack: [engine('unpack', '', join(work, 'unpacked')), engine('unpack', 'nope', join(work, 'unpacked'))],
  diff: [engine('diff', ''), engine('diff', 'nope')],
  pull: [engine('pull', 'Not//A/Reference'), engine('pull', '--platform', 'linux', 'localhost/app:1')],
  push: [engine('push', 'nope'), engine('push', 'localhost/none:1', 'Not//A/Reference')],
  login: [{ args: ['login', '-u', 'someone', '--password-stdin', ''], by: 'engine', input: 'secret\n' }],
  logout: [engine('logout', '')],
  tags: [engine('tags', ''), engine('tags', 'Not//A')],
  catalog: [
    engine('catalog', ''),
    cli('catalog', 'localhost:1', '--limit', 'abc'),
    cli('catalog', 'localhost:1', '--limit', '0'),
  ],
  registry: [engine('registry', 'add', ''), engine('registry', 'add', 'bad host/x'), engine('registry', 'rm', '')],
  dag: [engine('dag', 'nope')],
  run: [handedOver('run', '--pull', 'never', 'nope'), handedOver('run', '-d', '--pull', 'never', 'nope')],
  create: [engine('create', '--pull', 'never', ''), engine('create', '--pull', 'never', 'nope')],
  ps: [cli('ps', '--filter', 'bogus=1'), cli('ps', '-n', 'abc')],
  start: [engine('start', ''), engine('start', 'nope')],
  stop: [engine('stop', 'nope'), cli('stop', '-t', 'abc', 'nope')],
  restart: [engine('restart', 'nope')],
  kill: [engine('kill', 'nope')],
  rm: [engine('rm', 'nope'), engine('rm', '-f', 'nope')],
  logs: [engine('logs', ''), engine('logs', 'nope')],
  wait: [engine('wait', 'nope')],
  port: [engine('port', 'nope')],
  exec: [engine('exec', 'nope', 'true')],
  attach: [engine('attach', 'nope')],
  volume: [
    engine('volume', 'create', ''),
    engine('volume', 'create', 'bad name!'),
    cli('volume', 'create', '--driver', 'bogus', 'v2'),
    engine('volume', 'rm', 'nope'),
    engine('volume', 'inspect', 'nope'),
    engine('volume', 'ls', '--filter', 'bogus=1'),
  ],
  network: [
    engine('network', 'create', ''),
    engine('network', 'create', 'bad name!'),
    engine('network', 'create', '--subnet', '999.1.1.0/24', 'n1'),
    engine('network', 'rm', ''),
    engine('network', 'rm', 'nope'),
    engine('network', 'connect', '', 'x'),
    engine('network', 'inspect', 'nope'),
  ],
  pause: [engine('pause', 'nope')],
  unpause: [engine('unpause', 'nope')],
  stats: [engine('stats', '--no-stream', ''), engine('stats', '--no-stream', 'nope')],
  // docker's management commands, rewritten to the verbs (core/cli/managementCommands.ts).
  image: [engine('image', 'inspect', ''), engine('image', 'rm', 'nope')],
  container: [engine('container', 'inspect', 'nope'), engine('container', 'rm', 'nope')],
  events: [cli('events', '--since', 'abc')],
  cp: [engine('cp', 'nope:/', join(work, 'copied'))],
  rename: [engine('rename', '', 'x'), engine('rename', 'nope', 'x')],
  top: [engine('top', 'nope')],
  export: [engine('export', 'nope', '-o', join(work, 'exported.tar'))],
  commit: [engine('commit', 'nope')],
  import: [engine('import', join(missing, 'none.tar'))],
  build: [engine('build', missing)],
};

/** Commands that take nothing the contract validates, or are not a person's to type. */
const NOT_COVERED: Record<string, string> = {
  info: 'no arguments',
  gc: 'no arguments',
  fsck: 'no arguments (--repair is a switch)',
  system: 'df and prune take switches only',
  version: 'no arguments (its --format is the CLI’s)',
  builder: 'prune takes switches only',
  'container-cleanup': 'run by conmon when a container ends',
  'container-healthcheck': 'run by conmon for a container’s health check',
  ui: 'is an engine',
  daemon: 'is an engine',
  agent: 'is an engine, inside a machine',
  machine: 'drives this machine’s VMs, not an engine’s contract',
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  path: EnginePath;
}

/** The built CLI on `root`, as a person runs it (no STEVEDORE_NO_DAEMON), and which engine answered it. */
function run(root: string, args: string[], input?: string): Promise<Run> {
  const { STEVEDORE_ROOT: _root, STEVEDORE_NO_DAEMON: _noDaemon, ...env } = process.env;
  const traced = trace.run();
  const child = spawn(process.execPath, [...traced.nodeArgs, cliPath, '--root', root, ...args], {
    env: { ...env, ...traced.env },
    cwd: work,
  });
  child.stdin.end(input ?? '');
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, path: traced.path() })));
}

describe('a refusal is the same through stevedore daemon as in-process', () => {
  /** Never has an engine of its own: every command runs in-process. */
  const alone = join(work, 'alone');
  const served = join(work, 'served');
  let daemon: Daemon;

  before(async () => {
    daemon = await startDaemon(served);
  });
  after(async () => {
    await daemon?.stop();
  });

  it('has a case, or a reason for none, for every command of COMMAND_MODULES', () => {
    const commands = [...new Set(COMMAND_MODULES.flatMap((m) => m.commands))];
    const uncovered = commands.filter((c) => !Object.hasOwn(CASES, c) && !Object.hasOwn(NOT_COVERED, c));
    assert.deepEqual(uncovered, [], 'commands without a parity case');
    const unknown = [...Object.keys(CASES), ...Object.keys(NOT_COVERED)].filter((c) => !commands.includes(c));
    assert.deepEqual(unknown, [], 'cases for commands that do not exist');
  });

  for (const [command, cases] of Object.entries(CASES)) {
    it(command, async () => {
      for (const { args, by, input, handedOver } of cases) {
        const what = args.map((a) => (a === '' ? "''" : a)).join(' ');
        const [inProcess, through] = await Promise.all([run(alone, args, input), run(served, args, input)]);
        assert.equal(inProcess.path, 'in-process', `${what}: nothing serves ${alone}`);
        assert.notEqual(inProcess.code, 0, `${what} is refused: ${inProcess.stdout}${inProcess.stderr}`);
        assert.match(inProcess.stderr, /^error: .+\n$/, `${what}: one line`);
        assert.deepEqual(
          { code: through.code, stdout: through.stdout, stderr: through.stderr },
          { code: inProcess.code, stdout: inProcess.stdout, stderr: inProcess.stderr },
          `${what}: the same through the daemon`,
        );
        // Refused by the engine: the daemon's, unless the command is one that runs on an engine of its own.
        const expected = by === 'engine' && (mayUseRunningEngine(command) || handedOver) ? 'engine' : 'in-process';
        assert.equal(through.path, expected, `${what}: answered by ${expected === 'engine' ? 'the daemon' : 'no engine'}`);
      }
    });
  }

  it('a valid call goes through the daemon: its own answer shows it', async () => {
    const created = await run(served, ['volume', 'create', 'parity-volume']);
    assert.deepEqual([created.code, created.stdout, created.stderr, created.path], [0, 'parity-volume\n', '', 'engine']);
    const ws = await openEngineSocket(daemon.socketPath);
    try {
      const answer = await new Promise<{ ok: boolean; value: { name: string }[] }>((resolve) => {
        ws.on('message', (data) => {
          const message = JSON.parse(String(data));
          if (message.kind === 'result' && message.id === 1) resolve(message.response);
        });
        ws.send(JSON.stringify({ kind: 'invoke', id: 1, method: 'volumes.list', args: {} }));
      });
      assert.ok(answer.ok);
      assert.deepEqual(
        answer.value.map((v) => v.name),
        ['parity-volume'],
      );
    } finally {
      ws.terminate();
    }
    const listed = await run(served, ['volume', 'ls', '--quiet']);
    assert.deepEqual([listed.stdout, listed.path], ['parity-volume\n', 'engine']);
  });
});
