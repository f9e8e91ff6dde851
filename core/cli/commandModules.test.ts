import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { cliPath } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/tempDir.js';
import { VERSION } from '../version.js';
import { COMMAND_MODULES, modulesFor } from './commandModules.js';

/** The top-level commands and aliases `modules` define, as main.ts's program would have them. */
function defined(modules: typeof COMMAND_MODULES): string[] {
  const program = new Command().enablePositionalOptions();
  for (const { register } of modules) register(program);
  return [...new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]))].sort();
}

const argv = (...args: string[]) => ['node', 'stevedore', ...args];

describe('each run defines only the command modules it needs', () => {
  it('lists, for each module, exactly the commands it defines', () => {
    for (const module of COMMAND_MODULES) {
      assert.deepEqual(defined([module]), [...module.commands].sort(), `the module listed for ${module.commands.join(', ')}`);
    }
  });

  it('gives a command the modules defining it, and every command the same definition as the whole program does', () => {
    const everything = new Command().enablePositionalOptions();
    for (const { register } of COMMAND_MODULES) register(everything);
    for (const name of defined(COMMAND_MODULES)) {
      const alone = new Command().enablePositionalOptions();
      for (const { register } of modulesFor(argv(name))) register(alone);
      const find = (program: Command) => program.commands.find((c) => c.name() === name || c.aliases().includes(name))!;
      assert.equal(find(alone).helpInformation(), find(everything).helpInformation(), name);
    }
  });

  it('defines none for --version, all for help, no command or an unknown one', () => {
    assert.deepEqual(modulesFor(argv('--version')), []);
    assert.deepEqual(modulesFor(argv('--root', '/x', '-v')), []);
    assert.equal(modulesFor(argv('--version', '--help')), COMMAND_MODULES);
    assert.equal(modulesFor(argv()), COMMAND_MODULES);
    assert.equal(modulesFor(argv('help', 'images')), COMMAND_MODULES);
    assert.equal(modulesFor(argv('imagse')), COMMAND_MODULES);
    assert.deepEqual(
      modulesFor(argv('--root', '/x', '--runtime', 'native', 'ps', '-a')).flatMap((m) => m.commands),
      COMMAND_MODULES.find((m) => m.commands.includes('ps'))!.commands,
    );
  });

  it('still runs a command, says the version, lists every command in help and suggests for a typo, from the built CLI', () => {
    const root = tempDir();
    const run = (...args: string[]) => spawnSync(process.execPath, [cliPath, '--root', root, ...args], { encoding: 'utf8' });
    assert.equal(run('--version').stdout.trim(), VERSION);
    assert.deepEqual(JSON.parse(run('images', '--json').stdout), []);
    assert.deepEqual(JSON.parse(run('volume', 'ls', '--format', 'json').stdout || '[]'), []);
    const help = run('--help').stdout;
    for (const name of ['images', 'ps', 'run', 'system', 'volume', 'machine', 'version'])
      assert.match(help, new RegExp(`^  ${name}\\b`, 'm'));
    const typo = run('imagse');
    assert.notEqual(typo.status, 0);
    assert.match(typo.stderr, /unknown command 'imagse'.*images/);
  });
});
