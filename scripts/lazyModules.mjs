// An esbuild plugin for the CLI bundle: each module of core/ is evaluated the first time one of its
// imports is used, not when the bundle starts. `stevedore --version` then runs commander and the
// command definitions only, and `stevedore images` the engine's listing without the registry
// client, the runtime's network, the build front end, zod's hundreds of schemas… (issue 19: start-up
// at most 1.5 times node's own).
//
// How: esbuild turns each core/ file into CommonJS on its own (its `transform`, the same TypeScript
// handling as the bundle's), where an import is `var import_x = require("./x.js")` and each use of
// it `import_x.name`. That line becomes a function that requires the module once, on its first
// call, and each use a call of it. esbuild then bundles these CommonJS files as it does any: each
// runs when first required. Babel's `lazy` option of its CommonJS transform does the same.
//
// What changes against ES module order: a module's top-level code runs when something first uses
// one of its exports, not before its importer's. Stevedore's modules do no work at import that
// another relies on (no side-effect imports: `import './x.js'` is refused below), and a cycle of
// imports only gets easier. Node's builtins and the packages of node_modules are required lazily
// the same way from core/ files; inside node_modules nothing changes.
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

const NAMESPACE = 'lazy-cjs';
const PACKAGE_NAMESPACE = 'lazy-cjs-package';
const HELPERS = '__lazyModuleHelpers';
/** esbuild's transform puts these helpers at the top of each file; the bundle defines them once. */
const HELPER_LINE = /^var (__\w+) = /;

/**
 * The runtime helpers every transformed file would repeat (a fifth of their size): taken once from
 * esbuild itself, from a file that needs all of them, as `var __lazyModuleHelpers = {…}` for the
 * bundle's banner.
 */
async function helpersBanner(esbuild) {
  const sample = "import a from 'a'; import * as b from 'b'; export { a, b }; export * from 'c';";
  const { code } = await esbuild.transform(sample, { format: 'cjs', target: 'node20' });
  const lines = code.split('\n');
  const { preamble, names } = splitPreamble(lines);
  return `var ${HELPERS} = (() => {\n${preamble.join('\n')}\nreturn { ${names.join(', ')} };\n})();`;
}

/** The helper definitions at the top of a transformed file (a `var __x = …` and its indented lines). */
function splitPreamble(lines) {
  const names = [];
  let end = 0;
  for (; end < lines.length; end++) {
    const line = lines[end];
    const helper = HELPER_LINE.exec(line);
    if (helper) names.push(helper[1]);
    else if (!/^[ })]/.test(line) || names.length === 0) break;
  }
  return { preamble: lines.slice(0, end), names, end };
}

/**
 * The plugin. `root`: the project; `transformOptions`: what the bundle's own options would do to a
 * file (target, define, supported), so the transformed file means the same.
 */
export async function lazyModules(esbuild, { root, transformOptions }) {
  const banner = await helpersBanner(esbuild);
  const helperNames = new Set(/return \{ ([^}]*) \}/.exec(banner)[1].split(', '));
  const stats = { modules: 0, lazyImports: 0 };

  /** A core/ file as CommonJS whose imports are required at first use. */
  async function transformed(path) {
    const source = await readFile(path, 'utf8');
    const { code } = await esbuild.transform(source, {
      ...transformOptions,
      loader: path.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'cjs',
      sourcefile: relative(root, path),
      sourcemap: 'inline',
    });
    const lines = code.split('\n');
    const { names, end } = splitPreamble(lines);
    const unknown = names.filter((name) => !helperNames.has(name));
    if (unknown.length > 0) throw new Error(`${path}: esbuild helpers the lazy bundle does not define: ${unknown.join(', ')}`);
    // The helpers come from the banner (those the file's own code calls: the others serve helpers);
    // blank lines keep every other line where the source map says.
    const body = lines.slice(end).join('\n');
    const used = names.filter((name) => new RegExp(`\\b${name}\\(`).test(body));
    for (let i = 0; i < end; i++) lines[i] = '';
    if (used.length > 0) lines[0] = `var { ${used.join(', ')} } = ${HELPERS};`;

    const lazy = [];
    for (let i = end; i < lines.length; i++) {
      if (/^require\("[^"]+"\);$/.test(lines[i])) {
        throw new Error(`${path}:${i + 1}: an import for its side effects only cannot be made lazy: ${lines[i]}`);
      }
      const m = /^var (import_[\w$]+) = ((?:__toESM\()?require\("[^"]+"\)\)?);$/.exec(lines[i]);
      if (!m) continue;
      lazy.push(m[1]);
      // `module` is filled on the first call: a module's exports object is never null.
      lines[i] = `var ${m[1]}$module, ${m[1]} = () => ${m[1]}$module ??= ${m[2]};`;
    }
    let text = lines.join('\n');
    for (const name of lazy) {
      // Each use of the import (after a spread's `...` too), never a property of that name (`a.x`)
      // nor its own definition (followed by `$module` or ` = () =>`).
      const use = new RegExp(
        `(?<![\\w$])(?<!(?<!\\.\\.)\\.)${name.replaceAll('$', '\\$')}(?![\\w$]|\\$module| = \\(\\) =>)`,
        'g',
      );
      text = text.replace(use, `(${name}())`);
    }
    stats.modules++;
    stats.lazyImports += lazy.length;
    return text;
  }

  const isPackage = (path) => path.includes('/node_modules/');
  const isCoreSource = (path) => path.startsWith(join(root, 'core') + '/') && /\.tsx?$/.test(path) && !/\.test\.tsx?$/.test(path);

  return {
    banner,
    stats,
    plugin: {
      name: 'lazy-modules',
      setup(build) {
        // Every module core/ reaches from the entry, resolved as usual, then loaded from here when it
        // is a core/ source file. A namespace of its own keeps package.json's "type": "module" from
        // making esbuild read the CommonJS as an ES module.
        build.onResolve({ filter: /.*/ }, async (args) => {
          if (args.pluginData === NAMESPACE) return undefined;
          if (args.namespace !== NAMESPACE && args.kind !== 'entry-point') return undefined;
          // A core/ file's require was an import: a package is resolved as one (its ES module build,
          // where it has both, as the bundle of ES modules took).
          const kind = args.kind === 'require-call' ? 'import-statement' : args.kind;
          const result = await build.resolve(args.path, { kind, resolveDir: args.resolveDir, pluginData: NAMESPACE });
          if (result.errors.length > 0) return { errors: result.errors };
          if (result.namespace === 'file' && !result.external && isCoreSource(result.path)) {
            return { path: relative(root, result.path), namespace: NAMESPACE };
          }
          if (result.namespace === 'file' && !result.external && args.kind === 'require-call' && isPackage(result.path)) {
            // Named .cjs: esbuild takes a module's format from its extension first (esm.mjs).
            return { path: `${relative(root, result.path)}.cjs`, namespace: PACKAGE_NAMESPACE, pluginData: result.path };
          }
          return result;
        });
        build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
          const path = join(root, args.path);
          return { contents: await transformed(path), loader: 'js', resolveDir: dirname(path), watchFiles: [path] };
        });
        // A package's ES module build, required from CommonJS, is its namespace copied into a new
        // object at each require (esbuild's __toCommonJS): zod's hundreds of exports once per core/
        // file that imports it. Each package is required through one CommonJS module of its own
        // instead, whose exports (that copy, made once) every core/ file shares.
        build.onLoad({ filter: /.*/, namespace: PACKAGE_NAMESPACE }, (args) => ({
          contents: `module.exports = require(${JSON.stringify(args.pluginData)});`,
          loader: 'js',
          resolveDir: dirname(args.pluginData),
          pluginData: NAMESPACE,
        }));
      },
    },
  };
}
