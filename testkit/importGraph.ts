// Every import of the TypeScript sources under some folders, for tests that check who may import
// whom (core/layering.test.ts). TypeScript's own pre-processor reads them, so nothing is missed
// that a regular expression would: `import type`, `export … from`, `import()` and `require()`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface Import {
  /** The importing file, relative to the repository root, with `/` separators. */
  file: string;
  /** The specifier as written. */
  specifier: string;
  /** For a relative specifier, the file it names (relative to the root); otherwise undefined. */
  target?: string;
}

const sourceFile = /\.(ts|tsx|mts|cts)$/;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') yield* sourceFiles(path);
    } else if (sourceFile.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield path;
    }
  }
}

/** The file a relative specifier names: sources import `./x.js` for `x.ts` (ESM), the renderer `./x` (Vite). */
function resolveRelative(root: string, from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
  ];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? base;
  return relative(root, found).split('\\').join('/');
}

/** The imports of every source file under `dirs` (relative to `root`). */
export function readImports(root: string, dirs: string[]): Import[] {
  const imports: Import[] = [];
  for (const dir of dirs) {
    for (const path of sourceFiles(join(root, dir))) {
      const file = relative(root, path).split('\\').join('/');
      const { importedFiles } = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
      for (const { fileName: specifier } of importedFiles) {
        imports.push(
          specifier.startsWith('.') ? { file, specifier, target: resolveRelative(root, path, specifier) } : { file, specifier },
        );
      }
    }
  }
  return imports;
}
