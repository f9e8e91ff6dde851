#!/usr/bin/env node
// `npm start`: the Electron window where Electron's binary is installed (or can be fetched) and a
// display exists; otherwise the same app in the browser, with its URL printed.
// `npm start -- --web` always serves the browser app; extra arguments go to `stevedore ui`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const forceWeb = args.includes('--web') || process.env.STEVEDORE_WEB === '1';
const uiArgs = args.filter((a) => a !== '--web');

// Every piece the full build makes, the web server's first view (dist/first-view.cjs) included.
const built = ['dist/cli.cjs', 'dist/electron/main.cjs', 'dist/first-view.cjs', 'dist/renderer/index.html'].every((f) =>
  existsSync(join(root, f)),
);
if (!built) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

function fetchElectron() {
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return false;
  console.log("Fetching Electron's binary (first start only)…");
  const r = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
  return r.status === 0;
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
let binary;
if (!forceWeb && hasDisplay) binary = electronBinary() ?? (fetchElectron() ? electronBinary() : undefined);

let child;
if (binary) {
  // Chromium refuses to run as root with its sandbox; the page itself stays sandboxed by Electron.
  const rootFlags = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  child = spawn(binary, [root, ...rootFlags], { stdio: 'inherit' });
} else {
  if (!forceWeb) {
    const why = hasDisplay ? "Electron's binary is not installed and could not be fetched" : 'there is no display';
    console.log(`Opening Stevedore in web mode (${why}).`);
  }
  child = spawn(process.execPath, [join(root, 'dist', 'cli.cjs'), 'ui', ...uiArgs], { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
