import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../../testkit/cli.js';

// What a terminal shows of a line written while it is handed over (runc's output before runc sets
// it raw itself) and after it is given back. Under util-linux `script`, a real pseudo-terminal.
const program = `
import { writeSync } from 'node:fs';
import { handOverTerminal } from ${JSON.stringify(join(projectRoot, 'core', 'runtime', 'terminalHandOver.ts'))};
const giveBack = handOverTerminal(true);
writeSync(1, 'during\\n');
giveBack();
writeSync(1, 'after\\n');
`;

test('a terminal handed over adds no carriage return of its own to what is written to it, and is given back as it was', () => {
  const command = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', program]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
    .join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout, 'during\nafter\r\n');
});
