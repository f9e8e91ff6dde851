/**
 * Builds the guest image: `node --import tsx guest/build.ts [--out DIR] [--cache DIR] [--json]`.
 * Needs no root; needs apt's package lists (apt-get update), dpkg-deb, mkfs.erofs
 * (erofs-utils) and lz4. Prints each artifact's sha256 and the total size, or with --json one object
 * `{ outDir, cached, manifest }` (what `stevedore machine init` reads). See docs/architecture.md.
 */
import { buildGuest } from './buildGuest.js';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const outDir = option('--out');
const cacheDir = option('--cache');
try {
  const started = Date.now();
  const {
    manifest,
    outDir: dir,
    cached,
  } = buildGuest({
    ...(outDir ? { outDir } : {}),
    ...(cacheDir ? { cacheDir } : {}),
    log: (line) => console.error(line),
  });
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ outDir: dir, cached, manifest }));
    process.exit(0);
  }
  let total = 0;
  for (const a of Object.values(manifest.artifacts)) {
    total += a.size;
    console.log(`${a.sha256}  ${a.path}  ${(a.size / 1e6).toFixed(1)} MB`);
  }
  console.log(
    `total ${(total / 1e6).toFixed(1)} MB in ${dir} (${cached ? 'cached' : `built in ${((Date.now() - started) / 1000).toFixed(1)} s`})`,
  );
  console.log(
    `kernel ${manifest.kernel.release}, node ${manifest.node.version}, agent ${manifest.agentVersion}, inputs ${manifest.inputKey}`,
  );
} catch (err) {
  console.error(`guest build failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
