// dist/snapshot-entry.cjs: what `node --snapshot-blob FILE --build-snapshot` runs to make a startup
// snapshot of the CLI bundle (the guest's seed makes one of the agent: guest/files/seed.cjs). It
// runs the bundle as the launcher does (core/cli/launch.ts), with the arguments after it; the
// bundle's main (core/cli/main.ts) runs that command once and names itself as the snapshot's start.
// A process started with `node --snapshot-blob FILE` skips evaluating the bundle and everything
// the command loaded: under TCG, the agent listened 1.0-1.5 s after its start instead of ~1.5-1.9.
//
// A snapshot's build gives its script a require of node's builtins only, and that same require is
// what the bundle keeps after the snapshot is restored: the bundle's other requires (node-pty, a
// native addon) go through a require of the bundle's own place, made when first needed.
import { readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

const bundle = join(__dirname, 'cli-bundle.cjs');
let fromBundle: NodeJS.Require | undefined;
function requireAny(id: string): unknown {
  if (isBuiltin(id)) return require(id);
  fromBundle ??= createRequire(bundle);
  return fromBundle(id);
}
const module = { exports: {} };
// Every function of the bundle compiled now, not only those the command runs: the snapshot then
// holds the bytecode of the paths its process takes later too (the agent's first `run` after a
// boot compiled them under TCG: 2.6-2.9 s instead of 3.0-3.8 s, for a snapshot of 11 MB, not 7.7).
setFlagsFromString('--no-lazy');
// The build writes the bundle in ASCII (scripts/build.mjs), which Latin-1 reads as a plain copy,
// as one function expression of CommonJS's five parameters.
const main = new Script(readFileSync(bundle, 'latin1'), { filename: bundle }).runInThisContext() as (
  exports: unknown,
  require: (id: string) => unknown,
  module: unknown,
  filename: string,
  dirname: string,
) => void;
setFlagsFromString('--lazy');
main(module.exports, requireAny, module, bundle, __dirname);
