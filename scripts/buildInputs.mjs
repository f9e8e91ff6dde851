// Whether dist/ was built from the sources as they are: a build that changes nothing is skipped.
// `npm install` builds (the prepare script), and `npm test` asks for a build again on the same tree.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the bundles are built from: the sources they import, the build's own scripts and settings, the installed packages' lock. */
const INPUT_DIRS = ['core', 'renderer', 'electron', 'scripts'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'node_modules/.package-lock.json'];

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
}

/**
 * Every input's path, size and modification time, hashed, with what the build was asked for
 * (`--cli` builds less). An edit, a checkout or an install changes it; reading the tree costs a
 * stat per file.
 */
export function inputsFingerprint(root, variant) {
  const files = [];
  for (const dir of INPUT_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir), files);
  for (const file of INPUT_FILES) if (existsSync(join(root, file))) files.push(join(root, file));
  const hash = createHash('sha256').update(`${process.version}\n${variant}\n`);
  for (const file of files.sort()) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

const stampPath = (root) => join(root, 'dist', '.inputs');

/** What each build writes; one missing is built again, whatever the inputs say. */
const OUTPUTS = {
  cli: ['dist/cli.cjs', 'dist/cli-bundle.cjs', 'dist/snapshot-entry.cjs'],
  full: [
    'dist/cli.cjs',
    'dist/cli-bundle.cjs',
    'dist/snapshot-entry.cjs',
    'dist/electron/main.cjs',
    'dist/first-view.cjs',
    'dist/renderer/index.html',
  ],
};

/**
 * Whether dist/ holds a build of `variant` ('cli' or 'full') from `inputs` (inputsFingerprint's,
 * taken before building): a full build holds a CLI one.
 */
export function builtFrom(root, variant, inputs) {
  if (!OUTPUTS[variant].every((file) => existsSync(join(root, file))) || !existsSync(stampPath(root))) return false;
  const stamp = readFileSync(stampPath(root), 'utf8').trim();
  return stamp === inputs || (variant === 'cli' && stamp === inputsFingerprint(root, 'full'));
}

/** Noted once a build has ended well: the inputs as they were when it began. */
export function noteBuilt(root, inputs) {
  writeFileSync(stampPath(root), `${inputs}\n`);
}
