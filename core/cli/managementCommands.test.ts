import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rewriteManagementCommand } from './managementCommands.js';

const argv = (...args: string[]) => ['node', 'stevedore', ...args];

it('rewrites docker’s management commands to the top-level verbs, after global options, leaving its own verbs', () => {
  assert.deepEqual(rewriteManagementCommand(argv('image', 'ls', '-q')), argv('images', '-q'));
  assert.deepEqual(
    rewriteManagementCommand(argv('--root', '/s', 'container', 'rm', '-f', 'x')),
    argv('--root', '/s', 'rm', '-f', 'x'),
  );
  assert.deepEqual(rewriteManagementCommand(argv('container', 'inspect', 'web')), argv('inspect', '--type', 'container', 'web'));
  assert.deepEqual(rewriteManagementCommand(argv('image', 'prune', '-a')), argv('image', 'prune', '-a'));
  assert.deepEqual(rewriteManagementCommand(argv('container', 'wait', 'x')), argv('wait', 'x'));
  assert.deepEqual(rewriteManagementCommand(argv('system', 'info')), argv('info'));
  assert.deepEqual(rewriteManagementCommand(argv('system', 'df')), argv('system', 'df'));
  assert.deepEqual(
    rewriteManagementCommand(argv('run', 'image', 'ls')),
    argv('run', 'image', 'ls'),
    'only in the command’s place',
  );
});
