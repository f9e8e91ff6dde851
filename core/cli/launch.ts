// dist/cli.mjs: starts the CLI bundle (dist/cli-bundle.cjs) with V8's code cache, so that a run
// after the first skips compiling the bundle (about a megabyte: 20 to 30 ms of every start).
// Node 22 has module.enableCompileCache() for this; Node 20 does not, hence vm.Script with
// `cachedData`. The cache is an optimisation only: when it is missing, stale or unwritable, the
// bundle is compiled as usual. Only node builtins are imported here.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundle = join(dirname(fileURLToPath(import.meta.url)), 'cli-bundle.cjs');
const bytes = readFileSync(bundle);

/**
 * The command being run (`pull`, `images`…): each keeps its own cache, taken after its first run,
 * so that it holds the functions that command compiles. `--root` is the one global option with a
 * value.
 */
function commandName(args: string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--root') i++;
    else if (!arg.startsWith('-')) return /^[a-z][a-z-]{0,31}$/.test(arg) ? arg : 'other';
  }
  return 'none';
}

// V8 checks its version and flags, but knows the source only by its length: the cache is named by
// a hash of the bundle, so that a rebuilt bundle never runs with code compiled from another.
// Files are named bundle-runtime-command; those of other bundles are removed when one is written.
const bundleHash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const runtimeHash = createHash('sha256').update(`${process.versions.v8} ${process.arch}`).digest('hex').slice(0, 8);
const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'stevedore', 'compile-cache');
const cacheFile = join(cacheDir, `${bundleHash}-${runtimeHash}-${commandName(process.argv.slice(2))}`);

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`, {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
});

if (!cachedData || script.cachedDataRejected) {
  // Taken at exit: by then the cache holds every function this command ran, not only the top level.
  process.once('exit', () => {
    try {
      mkdirSync(cacheDir, { recursive: true });
      for (const name of readdirSync(cacheDir)) {
        if (!name.startsWith(`${bundleHash}-`)) rmSync(join(cacheDir, name), { force: true });
      }
      const temp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {
      // A read-only or full disk: the next run compiles the bundle again.
    }
  });
}

const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
