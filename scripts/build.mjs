#!/usr/bin/env node
// Builds what the faces run: the CLI (and web server) bundle, Electron's main and preload, the renderer.
// `node scripts/build.mjs --cli` builds only the CLI bundle (what bin/stevedore.cjs needs).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtFrom, inputsFingerprint, noteBuilt } from './buildInputs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const versionSource = readFileSync(join(root, 'core', 'version.ts'), 'utf8');
if (!versionSource.includes(`'${pkg.version}'`)) {
  console.error(`core/version.ts does not say ${pkg.version}, as package.json does`);
  process.exit(1);
}

// A tree built already is not built again (scripts/buildInputs.mjs): `npm install` builds, then `npm test` would.
const variant = only === '--cli' ? 'cli' : 'full';
const inputs = inputsFingerprint(root, variant);
if (builtFrom(root, variant, inputs)) {
  console.log('dist/ is up to date with the sources: nothing to build');
  process.exit(0);
}
rmSync(join(root, 'dist', '.inputs'), { force: true });

const esbuild = await import('esbuild');
const { lazyModules } = await import('./lazyModules.mjs');
/**
 * A plugin that gives what a package's files import as `specifier` (a path the filter matches)
 * the module `contents` instead: for the package's own files only, never for Stevedore's.
 */
function replacedImport(name, { importerPackage, filter, contents }) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.importer.includes(`${'node_modules'}/${importerPackage}/`) ? { path: args.path, namespace: name } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: name }, () => ({ contents, loader: 'js' }));
    },
  };
}
// zod bundles every language's error messages (a third of the CLI bundle); Stevedore speaks
// English, which zod keeps in its core, so the index of all locales is left out.
const withoutZodLocales = replacedImport('empty-zod-locales', {
  importerPackage: 'zod',
  filter: /locales\/index\.js$/,
  contents: 'export {};',
});
// signal-exit (proper-lockfile's, for the store's locks) requires node's assert for one check, made
// at its first exit handler: loading assert is ~3.5 ms of every command that takes a lock. The
// check is made here as it is (`==`), and assert loaded only to throw what it would have thrown.
const signalExitAssert = replacedImport('signal-exit-assert', {
  importerPackage: 'signal-exit',
  filter: /^assert$/,
  contents:
    "module.exports = { equal(actual, expected, message) { if (actual != expected) require('node:assert').equal(actual, expected, message); } };",
});
// proper-lockfile (the store's locks) does its file calls through graceful-fs, which at its load
// patches node's fs module in place (close and closeSync, for its queue of calls that met EMFILE)
// and reads fs.ReadStream, loading node's file streams: ~4 ms of every command that takes a lock,
// for a retry the lock's few mkdir, stat and utimes calls do not need. They go to node's fs.
const lockfileWithNodeFs = replacedImport('lockfile-node-fs', {
  importerPackage: 'proper-lockfile',
  filter: /^graceful-fs$/,
  contents: "module.exports = require('node:fs');",
});
// commander requires child_process when it loads, for subcommands that are programs of their own
// (Stevedore has none): node's child_process, with net and dgram, is ~3-6 ms of every command
// that starts no process (--version, images, a cached build). It is loaded at commander's first spawn.
const commanderLazyChildProcess = replacedImport('commander-lazy-child-process', {
  importerPackage: 'commander',
  filter: /^node:child_process$/,
  contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
});
// The CLI bundle's core/ modules run at their first use (scripts/lazyModules.mjs): what the bundle
// would do to a file, the plugin's own transform of it does too.
// ws would look for bufferutil, its optional native speed-up that is never installed here, at each
// start: a failed lookup through node_modules, ~0.1 s of the machine's agent start under TCG.
const cliDefine = { 'import.meta.url': '__bundleUrl', 'process.env.WS_NO_BUFFER_UTIL': '"1"' };
const cliSupported = { 'dynamic-import': false };
const lazy = await lazyModules(esbuild, {
  root,
  transformOptions: { target: 'node20', define: cliDefine, supported: cliSupported },
});
const common = {
  plugins: [withoutZodLocales],
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};
// ws's native speed-ups, which it works without: not bundled (bufferutil is not even looked for, above).
const optionalNative = ['bufferutil', 'utf-8-validate'];
// node-pty (the app's terminals) and node-unix-socket (attach's SOCK_SEQPACKET connection to conmon)
// are native addons: loaded from node_modules, never bundled.
const nativeAddons = ['node-pty', 'node-unix-socket'];

// The CLI is dist/cli.cjs, a small launcher (core/cli/launch.ts) that runs the bundle,
// dist/cli-bundle.cjs, with V8's code cache. The bundle is CommonJS, since V8 caches the code of
// scripts, not of ES modules; `import.meta.url` in it names the bundle.
await esbuild.build({
  ...common,
  plugins: [withoutZodLocales, signalExitAssert, lockfileWithNodeFs, commanderLazyChildProcess, lazy.plugin],
  entryPoints: { 'cli-bundle': 'core/cli/main.ts' },
  outdir: 'dist',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  external: [...optionalNative, ...nativeAddons],
  define: cliDefine,
  // The file is one function expression of CommonJS's five parameters, which the launcher
  // compiles as it is: wrapping it at each start made a 1.7 MB string that V8 copied again
  // (a ConsString flattened), ~420 more pages touched by every command.
  banner: {
    js: `(function (exports, require, module, __filename, __dirname) {\nconst __bundleUrl = require('node:url').pathToFileURL(__filename).href;\n${lazy.banner}`,
  },
  footer: { js: '})' },
  // A script compiled by vm.Script cannot import(): what is loaded on demand (node-pty) is required.
  supported: cliSupported,
  // Every command reads the whole bundle and hands it to V8: 1.7 MB instead of 2.5 (identifiers
  // kept, so that stack traces and `.name` read as in the source).
  minifyWhitespace: true,
  minifySyntax: true,
});
/**
 * esbuild writes ASCII but for regular expression literals and comments; the launcher reads a
 * bundle as Latin-1, which for ASCII is a copy instead of UTF-8's decoding (a bundle with one
 * non-ASCII byte becomes a two-byte string: 7 ms instead of 0.2 at each start). A `\uXXXX` escape
 * means the same character in a string, a template or a regular expression.
 */
function asciiOnly(file) {
  const path = join(root, 'dist', file);
  const text = readFileSync(path, 'utf8');
  const escaped = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped !== text) writeFileSync(path, escaped);
}
asciiOnly('cli-bundle.cjs');
// What `node --build-snapshot` runs to make a startup snapshot of the bundle (core/cli/snapshotEntry.ts).
await esbuild.build({
  ...common,
  entryPoints: { 'snapshot-entry': 'core/cli/snapshotEntry.ts' },
  outdir: 'dist',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  sourcemap: false,
});

/** What the launcher knows of each bundle it runs, so that it names their code caches without hashing them. */
function bundleFacts(file) {
  const path = join(root, 'dist', file);
  const { size, mtimeMs } = statSync(path);
  return { hash: createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16), size, mtimeMs };
}
const bundles = { 'cli-bundle.cjs': bundleFacts('cli-bundle.cjs') };
// Left by builds that had a thin client for pull and push (now the CLI's own, through its EngineClient),
// and by those whose launcher was an ES module (dist/cli.mjs).
rmSync(join(root, 'dist', 'cli.mjs'), { force: true });
rmSync(join(root, 'dist', 'cli-client.cjs'), { force: true });
rmSync(join(root, 'dist', 'cli-client.cjs.map'), { force: true });
const launcherDefine = { __STEVEDORE_BUNDLES__: JSON.stringify(bundles), 'import.meta.url': '__launcherUrl' };
// The launcher's modules run at first use too: what only a rootless command needs (entering its
// namespace, node's child_process with it) is not loaded by every other command.
const lazyLauncher = await lazyModules(esbuild, { root, transformOptions: { target: 'node20', define: launcherDefine } });
const launcher = await esbuild.build({
  ...common,
  plugins: [lazyLauncher.plugin],
  entryPoints: { cli: 'core/cli/launch.ts' },
  // CommonJS: Node starts a script without its ES module loader (~6 ms of every command here).
  define: launcherDefine,
  banner: {
    js: `'use strict';\nconst __launcherUrl = require('node:url').pathToFileURL(__filename).href;\n${lazyLauncher.banner}`,
  },
  outdir: 'dist',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  sourcemap: false,
  metafile: true,
});
// The launcher decides, before any bundle loads, whether a rootless command enters its user
// namespace first (core/cli/namespaceLaunch.ts): it must stay small, for every command's start-up.
const heavyLauncher = Object.keys(launcher.metafile.inputs).filter((input) =>
  /node_modules\/(zod|commander)\/|^core\/(engine|api\/contract|api\/router|vm\/runtimeChoice)\.ts$/.test(input),
);
if (heavyLauncher.length > 0) {
  console.error(`dist/cli.cjs must stay small, but it bundles ${heavyLauncher.join(', ')}`);
  process.exit(1);
}
if (only === '--cli') {
  noteBuilt(root, inputs);
  process.exit(0);
}

await esbuild.build({
  ...common,
  entryPoints: { main: 'electron/main.ts', preload: 'electron/preload.ts' },
  outdir: 'dist/electron',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  external: ['electron', ...optionalNative, ...nativeAddons],
});

// The renderer's server half: the app's first view, which the web server draws into the page it
// sends (renderer/src/firstView.tsx, core/server/firstViewPage.ts). React's production build, as
// the page's; what only other views load on demand (the graph's layout, the terminal) is left out.
await esbuild.build({
  ...common,
  entryPoints: { 'first-view': 'renderer/src/firstView.tsx' },
  outdir: 'dist',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  external: ['elkjs', '@xterm/*'],
  loader: { '.css': 'empty' },
  minifyWhitespace: true,
  minifySyntax: true,
});

// The renderer is built beside dist/renderer and swapped in at the end, so that a server (or a
// test) using dist/renderer never sees it half-written.
const vite = await import('vite');
const target = join(root, 'dist', 'renderer');
const staging = join(root, 'dist', `.renderer-${process.pid}`);
const previous = join(root, 'dist', `.renderer-old-${process.pid}`);
await vite.build({
  configFile: join(root, 'renderer', 'vite.config.ts'),
  logLevel: 'warn',
  build: { outDir: staging, emptyOutDir: true },
});
if (existsSync(target)) renameSync(target, previous);
renameSync(staging, target);
rmSync(previous, { recursive: true, force: true });
noteBuilt(root, inputs);
