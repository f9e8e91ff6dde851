// dist/cli.cjs: starts the CLI bundle (dist/cli-bundle.cjs) with V8's code cache, so that a run
// after the first skips compiling the bundle (about a megabyte: 20 to 30 ms of every start).
// Node 22 has module.enableCompileCache() for this; Node 20 does not, hence vm.Script with
// `cachedData`. The cache is an optimisation only: when it is missing, stale or unwritable, the
// bundle is compiled as usual.
//
// A command that runs rootless (a normal user on Linux) is started again inside the store's user
// namespace from here, before the bundle loads: the bundle then loads once, inside, instead of
// once on each side (core/cli/namespaceLaunch.ts). Not when an engine serves the store and the
// command may go through it (core/cli/engineClientFor.ts; a foreground `run` with output alone
// is handed to it): its calls go over the engine socket, which needs no namespace, and if that
// engine does not answer, the CLI enters it itself.
// Only node builtins and small pure modules are bundled in here.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { fnv1a } from '../digest/fnv1a.js';
import { runInsideHolder } from '../runtime/rootless/namespaceEntry.js';
import { daemonDisabled, engineSocketPath } from '../server/endpoint.js';
import { writeFileAtomic } from '../system/atomicFile.js';
import { mayUseRunningEngine, runMayGoThroughEngine } from './inProcessCommands.js';
import { namespaceLaunch } from './namespaceLaunch.js';
import { replayUnchangedRebuild } from './rebuildReplay.js';

/**
 * The command being run (`pull`, `images`…) and where it is in the arguments: each command keeps
 * its own cache, taken after its first run, so that it holds the functions that command compiles.
 * `--root` and `--runtime` are the global options with a value.
 */
function commandAt(args: string[]): { name: string; index: number } {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--root' || arg === '--runtime') i++;
    else if (!arg.startsWith('-')) return { name: /^[a-z][a-z-]{0,31}$/.test(arg) ? arg : 'other', index: i };
  }
  return { name: 'none', index: args.length };
}

const distDir = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const { name: command, index: commandIndex } = commandAt(args);
/**
 * What the build that made this launcher wrote beside it (scripts/build.mjs): each bundle's hash,
 * size and mtime. Absent when the launcher runs unbuilt.
 */
declare const __STEVEDORE_BUNDLES__: Record<string, { hash: string; size: number; mtimeMs: number }> | undefined;

/**
 * Files whose sha256 the process running this launcher has checked already, by path: a machine's
 * seed (guest/files/seed.cjs) checks each of the agent's files as it arrives, then runs the agent
 * in its own process. Their mtimes are those of their arrival, not the build's.
 */
declare global {
  var __stevedoreVerifiedFiles: Map<string, string> | undefined;
  /** Every top-level command word the CLI defines, set by the bundle as it starts (core/cli/main.ts). */
  var __stevedoreCommandWords: Set<string> | undefined;
  /** The hash of the bundle this launcher runs, set before it runs it: what a build's record is of (rebuildRecorder.ts). */
  var __stevedoreBundleHash: string | undefined;
}

/**
 * A bundle's hash when it is known without reading the bundle: the one its deliverer checked, or
 * the build's while the file is the one it wrote (same size and mtime).
 */
function knownBundleHash(bundle: string, file: string): string | undefined {
  const verified = globalThis.__stevedoreVerifiedFiles?.get(bundle);
  if (verified) return verified.slice(0, 16);
  const built = typeof __STEVEDORE_BUNDLES__ === 'object' ? __STEVEDORE_BUNDLES__[file] : undefined;
  const stat = built ? statSync(bundle, { throwIfNoEntry: false }) : undefined;
  return built && stat?.size === built.size && stat.mtimeMs === built.mtimeMs ? built.hash : undefined;
}

/** A bundle's hash (knownBundleHash), else computed from its bytes: node:crypto is a tenth of node's own start-up. */
function bundleHashOf(bundle: string, file: string, bytes: Buffer): string {
  const known = knownBundleHash(bundle, file);
  if (known) return known;
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

// V8 checks its own version too: the name only keeps caches of other versions apart.
const runtimeHash = fnv1a(`${process.versions.v8} ${process.arch}`);
const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'stevedore', 'compile-cache');

/**
 * Runs the CLI bundle of dist/ with its code cache. V8 checks its version and flags, but knows the
 * source only by its length: a cache is named by a hash of its bundle, so that a rebuilt bundle
 * never runs with code compiled from another. Files are named bundle-runtime-command; when one is
 * written, those of other builds are removed (and any other file of the directory's, such as the
 * `client-…` caches of the thin client earlier builds had).
 */
function runBundle(file: 'cli-bundle.cjs'): void {
  const bundle = join(distDir, file);
  const bytes = readFileSync(bundle);
  const bundleHash = bundleHashOf(bundle, file, bytes);
  globalThis.__stevedoreBundleHash = bundleHash;
  const cacheFile = join(cacheDir, `${bundleHash}-${runtimeHash}-${command}`);

  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The build writes the bundles in ASCII (scripts/build.mjs), which Latin-1 reads as a plain copy,
  // and as one function expression of CommonJS's parameters, compiled as it is read: a wrapper
  // added here would make V8 copy the whole source again.
  const script = new Script(bytes.toString('latin1'), { filename: bundle, ...(cachedData ? { cachedData } : {}) });

  if (!cachedData || script.cachedDataRejected) {
    // Taken at exit: by then the cache holds every function this command ran, not only the top level.
    process.once('exit', () => {
      // A mistyped command (`imags`) keeps no cache of its own: each typo would leave half a megabyte.
      const words = globalThis.__stevedoreCommandWords;
      if (command !== 'none' && words && !words.has(command)) return;
      try {
        mkdirSync(cacheDir, { recursive: true });
        for (const name of readdirSync(cacheDir)) {
          if (!name.startsWith(`${bundleHash}-`)) rmSync(join(cacheDir, name), { force: true });
        }
        // The script's top level ran once, at start. A command that ran long (a cold build, a
        // pull) has had it flushed by V8 since (bytecode unused through several collections), and
        // a cache without it makes every later run parse the whole bundle again to run it: a
        // fully cached rebuild took 310 instead of 238 ms after a cold build had written the
        // cache. Evaluating the script again compiles it back (it is a function expression: no
        // code of the bundle runs), once, as the cache is written.
        script.runInThisContext();
        writeFileAtomic(cacheFile, script.createCachedData(), { durable: false });
      } catch {
        // A read-only or full disk: the next run compiles the bundle again.
      }
    });
  }

  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}

/**
 * `build` run again with nothing changed since it last ran in full: shown again as it was, without
 * loading the bundle (core/cli/rebuildReplay.ts). Only with a bundle whose hash is known unread.
 */
function replayed(): boolean {
  if (command !== 'build' && !(command === 'image' && args[commandIndex + 1] === 'build')) return false;
  const hash = knownBundleHash(join(distDir, 'cli-bundle.cjs'), 'cli-bundle.cjs');
  return hash !== undefined && replayUnchangedRebuild(args, hash);
}
// Ended at once, as the bundle's commands end (core/cli/main.ts): node's own way out frees its heap first.
if (replayed()) process.exit(0);

const rootless = namespaceLaunch(args);
// A socket file is the cheap sign of an engine (a stat); the CLI's connection attempt is the proof.
const engineMayServe =
  rootless !== null &&
  !daemonDisabled(process.env) &&
  (mayUseRunningEngine(command) || (command === 'run' && runMayGoThroughEngine(args.slice(commandIndex + 1)))) &&
  existsSync(engineSocketPath(rootless.root));
if (rootless && !engineMayServe) {
  try {
    runInsideHolder(rootless.root, rootless.host, rootless.reason);
  } catch {
    // The holder could not start: the CLI tries again and says why in its own words.
  }
}
// zod compiles each schema's parser (new Function) at its first parse: worth it in a long-lived
// engine, a cost in a foreground `run`, which parses a few records and leases once each. zod reads
// its configuration from this global when it loads; medians of a --network none run, alternated,
// on a loaded machine: 508 → 470 ms and 442 → 348 ms. Commands that walk a whole store (gc parses
// every manifest) keep the compiled parsers.
if (command === 'run') (globalThis as { __zod_globalConfig?: { jitless: boolean } }).__zod_globalConfig = { jitless: true };
runBundle('cli-bundle.cjs');
