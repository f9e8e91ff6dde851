#!/usr/bin/env node
// `stevedore` on the PATH (package.json's bin). CommonJS, as the launcher it starts: Node starts a
// script without its ES module loader (~6 ms of every command here).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(cli)) {
  // Installed with --ignore-scripts: build the CLI once, then run it. node:child_process is
  // required here only: loaded at the top it brought net, dgram and streams into every command
  // (--version 147 → 143 ms, medians of 41 alternated runs).
  const { spawnSync } = require('node:child_process');
  const result = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs'), '--cli'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
require(cli);
