#!/usr/bin/env node
// `npm test`: installs what is missing, builds, typechecks, lints, then runs every test once.
// Arguments filter test files by substring: `npm test -- e2e/` or `npm test -- core/store`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemPackages } from './system-packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);

function run(title, command, args, options = {}) {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.status !== 0) {
    console.error(`✖ ${title} failed`);
    process.exit(r.status ?? 1);
  }
}

function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  run('npm install (node_modules is missing or older than package-lock.json)', 'npm', ['install', '--no-audit', '--no-fund']);
}

function ensureSystemPackages() {
  const missing = systemPackages.filter((p) => !existsSync(p.check)).map((p) => p.pkg);
  if (missing.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(`The tests need Debian packages that are not installed. Run:\n  sudo apt-get update && sudo ${command}`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get update', 'apt-get', ['update', '-q'], { env });
  run(`apt-get install ${missing.join(' ')}`, 'apt-get', command.split(' ').slice(1), { env });
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

/**
 * Steps that need nothing of each other, side by side: the build (esbuild, then vite) and tsc
 * each keep one core busy for half a minute, one after the other the machine's second core idles.
 * Each step's output is printed whole when it ends, so steps never interleave their lines.
 */
async function runTogether(steps) {
  const results = await Promise.all(
    steps.map(
      ({ title, args }) =>
        new Promise((resolve) => {
          const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
          let output = '';
          child.stdout.on('data', (c) => (output += c));
          child.stderr.on('data', (c) => (output += c));
          child.on('error', (err) => resolve({ title, output: `${output}${err.message}\n`, status: 1 }));
          child.on('close', (status) => resolve({ title, output, status }));
        }),
    ),
  );
  for (const { title, output, status } of results) {
    console.log(`\n▶ ${title}`);
    process.stdout.write(output);
    if (status !== 0) console.error(`✖ ${title} failed`);
  }
  const failed = results.find((r) => r.status !== 0);
  if (failed) process.exit(failed.status ?? 1);
}

ensureNodeModules();
ensureSystemPackages();
await runTogether([
  { title: 'build', args: ['scripts/build.mjs'] },
  { title: 'typecheck', args: ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'] },
  { title: 'lint', args: ['node_modules/@biomejs/biome/bin/biome', 'check', '.'] },
]);
// The end-to-end files first: they are the long ones (the machine's takes minutes), and the many
// short unit files then fill in beside them and at the end, rather than one long file running
// alone at the end while the other core idles.
const endToEndFirst = (a, b) => Number(!a.startsWith('e2e/')) - Number(!b.startsWith('e2e/')) || a.localeCompare(b);
const files = testFiles(root)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort(endToEndFirst);
if (files.length === 0) {
  console.error(`no test file matches ${filters.join(' ')}`);
  process.exit(1);
}
run(`tests (${files.length} files)`, process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  '--test-concurrency=2',
  // Each file (and each test in it) is ended after 10 minutes, its process killed: a hang costs
  // one file, not CI's whole budget. The longest file takes under 3 minutes on a busy machine.
  '--test-timeout=600000',
  ...files,
]);
