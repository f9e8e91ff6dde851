// Who may import whom, read from the imports themselves (issue 15). The rules:
// - core/ is layered: a source file imports its own layer and the layers below it, never one above,
//   nor a sibling on its own rank; api, text, errors, system and version are usable by every layer and
//   import only each other. A folder or file of core/ in no layer fails the test until it is placed.
// - core/ (tests included) imports neither Electron nor React, nor anything of the faces or tools
//   (electron/, renderer/, e2e/, bench/, scripts/).
// - renderer/src/ imports of core/ only what runs in a browser: files of core/api/ (the contract,
//   its schemas, bridgeProtocol and the pure parsers and formatters), which in turn import nothing
//   outside core/api/ and no Node builtin. So the router, which needs core/errors, stays out.
// - electron/ never imports renderer/ (the window loads the page; it does not bundle it).
// - Only tests import testkit/. Tests are otherwise free: a test may drive a layer through a higher
//   one (the registry's tests through the Engine) or check the renderer against the engine.
import assert from 'node:assert/strict';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Import, readImports } from '../testkit/importGraph.js';

/**
 * core's layers, highest first. cli sits above server, not below: `stevedore ui` and
 * `stevedore daemon` start the web server and the engine socket (core/cli/commands), while the
 * server needs nothing of the CLI. vm sits above the engine, beside server: `machine init`
 * (core/vm/machineInit.ts) stores and pulls the guest image through the Engine, and the engine
 * uses nothing of vm yet (a vm RuntimeBackend under the engine would have to live apart from it).
 * client (the socket client of a running engine: the CLI's, and the vm backend's to its agent)
 * sits under both and needs nothing but the contract.
 * app (the engine a long-lived face opens: the desktop window's) sits beside cli, above server and
 * vm, for it chooses the runtime (vm) and serves or reaches the engine socket (server).
 * archive sits above layers, which it uses to read layer blobs.
 * engine (the folder) holds the engine's services, which engine.ts composes: right under it.
 */
const LAYERS: string[][] = [
  ['cli', 'app'],
  ['server', 'vm'],
  ['client'],
  ['engine.ts'],
  ['engine'],
  ['builder'],
  ['runtime'],
  ['registry', 'snapshots'],
  ['archive'],
  ['dag', 'layers'],
  ['images'],
  ['store'],
  ['oci'],
  ['digest'],
];
const SHARED = new Set(['api', 'text', 'errors.ts', 'system', 'version.ts']);
const FACES_AND_TOOLS = ['electron/', 'renderer/', 'e2e/', 'bench/', 'scripts/'];

const isTest = (file: string) => /\.test\.tsx?$/.test(file);
/** `core/runtime/network/x.ts` → `runtime`; `core/engine.ts` → `engine.ts`. */
const coreArea = (file: string) => file.split('/')[1]!;
const rankOf = (area: string) => LAYERS.findIndex((rank) => rank.includes(area));
const isReact = (pkg: string) => /^(react|react-dom)(\/|$)|^@[^/]+\/react(\/|$)|(^|\/)react-/.test(pkg);
const isElectron = (pkg: string) => /^electron(\/|$)/.test(pkg);
const show = (i: Import) => `${i.file} imports '${i.specifier}'`;

function coreViolations(i: Import): string[] {
  const found: string[] = [];
  if (isElectron(i.specifier) || isReact(i.specifier)) found.push(`${show(i)}: core is Node only, no Electron or React`);
  if (i.target && FACES_AND_TOOLS.some((dir) => i.target!.startsWith(dir))) {
    found.push(`${show(i)}: core imports nothing of the faces or tools`);
  }
  if (isTest(i.file) || !i.target?.startsWith('core/')) return found;
  const from = coreArea(i.file);
  const to = coreArea(i.target);
  if (from === to || SHARED.has(to)) return found;
  if (SHARED.has(from))
    return [...found, `${show(i)}: ${from} is shared by every layer and imports only api, text, errors, system, version`];
  const [fromRank, toRank] = [rankOf(from), rankOf(to)];
  if (fromRank < 0) found.push(`${i.file}: core/${from} is in no layer (add it to LAYERS in core/layering.test.ts)`);
  else if (toRank < 0) found.push(`${show(i)}: core/${to} is in no layer (add it to LAYERS in core/layering.test.ts)`);
  else if (toRank < fromRank) found.push(`${show(i)}: ${from} is below ${to}, and a lower layer never imports a higher one`);
  else if (toRank === fromRank)
    found.push(`${show(i)}: ${from} and ${to} are siblings on one rank, which do not import each other`);
  return found;
}

/** What renderer/src reaches of core/, directly or through the core files it imports, must run in a browser. */
function rendererViolations(imports: Import[]): string[] {
  const found: string[] = [];
  const byFile = new Map<string, Import[]>();
  for (const i of imports) byFile.set(i.file, [...(byFile.get(i.file) ?? []), i]);
  const reached = new Set<string>();
  /** `from` imports a core file; `origin` is the renderer file whose imports led there. */
  const reach = (from: Import, origin: string) => {
    const target = from.target!;
    const via = from.file === origin ? '' : ` (reached from ${origin})`;
    if (!target.startsWith('core/api/') && !target.startsWith('core/text/')) {
      found.push(
        `${show(from)}${via}: the renderer reaches only core/api/ and core/text/ of core (the contract, its parsers, and how both faces print)`,
      );
      return;
    }
    if (reached.has(target)) return;
    reached.add(target);
    for (const next of byFile.get(target) ?? []) {
      if (next.target) reach(next, origin);
      else if (isBuiltin(next.specifier)) found.push(`${show(next)} (reached from ${origin}): a browser has no Node builtins`);
    }
  };
  for (const i of imports) {
    if (!i.file.startsWith('renderer/') || isTest(i.file)) continue;
    if (i.target?.startsWith('electron/')) found.push(`${show(i)}: the renderer talks to Electron only through the preload`);
    if (i.file.startsWith('renderer/src/') && i.target?.startsWith('core/')) reach(i, i.file);
  }
  return found;
}

/** Every broken rule, one line each naming the file and the import. */
function violations(imports: Import[]): string[] {
  const found: string[] = [];
  for (const i of imports) {
    if (i.file.startsWith('core/')) found.push(...coreViolations(i));
    if (i.file.startsWith('electron/') && i.target?.startsWith('renderer/')) {
      found.push(`${show(i)}: the window loads the renderer's page; it does not import it`);
    }
    if (!isTest(i.file) && i.target?.startsWith('testkit/')) found.push(`${show(i)}: only tests import testkit`);
  }
  return [...found, ...rendererViolations(imports)];
}

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('layering', () => {
  const imports = readImports(repo, ['core', 'renderer', 'electron']);

  it('reads every kind of import: static, type-only and dynamic', () => {
    const has = (file: string, specifier: string) => imports.some((i) => i.file === file && i.specifier === specifier);
    assert.ok(has('core/cli/commands/daemon.ts', '../../server/engineSocket.js'), 'the dynamic import() of the socket server');
    assert.ok(has('renderer/src/api/transport.ts', '../../../core/api/engineClientType'), 'a type-only import');
    assert.ok(imports.length > 1000, `only ${imports.length} imports read`);
  });

  it('holds in core/, renderer/ and electron/', () => {
    assert.deepEqual(violations(imports), []);
  });

  // The rules themselves, on imports made up to break each one: the test above can fail.
  it('names the file and the import that break a rule', () => {
    const bad: Import[] = [
      { file: 'core/store/gc.ts', specifier: '../engine.js', target: 'core/engine.ts' },
      { file: 'core/server/engineSocket.ts', specifier: '../cli/client/args.js', target: 'core/cli/client/args.ts' },
      { file: 'core/dag/dag.ts', specifier: '../layers/apply.js', target: 'core/layers/apply.ts' },
      { file: 'core/api/contract.ts', specifier: '../store/store.js', target: 'core/store/store.ts' },
      { file: 'core/newThing/x.ts', specifier: '../oci/reference.js', target: 'core/oci/reference.ts' },
      { file: 'core/engine.ts', specifier: 'electron' },
      { file: 'core/images/imageSummary.test.ts', specifier: '@tanstack/react-query' },
      { file: 'core/images/x.ts', specifier: '../../renderer/src/a.js', target: 'renderer/src/a.ts' },
      { file: 'core/store/x.ts', specifier: '../../testkit/layers.js', target: 'testkit/layers.ts' },
      { file: 'renderer/src/views/a.ts', specifier: '../../../core/api/router', target: 'core/api/router.ts' },
      { file: 'core/api/router.ts', specifier: '../errors.js', target: 'core/errors.ts' },
      { file: 'renderer/src/views/b.ts', specifier: '../../../core/oci/reference', target: 'core/oci/reference.ts' },
      { file: 'renderer/src/views/c.ts', specifier: '../../../core/text/humanize', target: 'core/api/humanize.ts' },
      { file: 'core/api/humanize.ts', specifier: 'node:fs' },
      { file: 'electron/main.ts', specifier: '../renderer/src/main.js', target: 'renderer/src/main.tsx' },
    ];
    assert.deepEqual(violations(bad), [
      "core/store/gc.ts imports '../engine.js': store is below engine.ts, and a lower layer never imports a higher one",
      "core/server/engineSocket.ts imports '../cli/client/args.js': server is below cli, and a lower layer never imports a higher one",
      "core/dag/dag.ts imports '../layers/apply.js': dag and layers are siblings on one rank, which do not import each other",
      "core/api/contract.ts imports '../store/store.js': api is shared by every layer and imports only api, text, errors, system, version",
      'core/newThing/x.ts: core/newThing is in no layer (add it to LAYERS in core/layering.test.ts)',
      "core/engine.ts imports 'electron': core is Node only, no Electron or React",
      "core/images/imageSummary.test.ts imports '@tanstack/react-query': core is Node only, no Electron or React",
      "core/images/x.ts imports '../../renderer/src/a.js': core imports nothing of the faces or tools",
      "core/store/x.ts imports '../../testkit/layers.js': only tests import testkit",
      "electron/main.ts imports '../renderer/src/main.js': the window loads the renderer's page; it does not import it",
      "core/api/router.ts imports '../errors.js' (reached from renderer/src/views/a.ts): the renderer reaches only core/api/ and core/text/ of core (the contract, its parsers, and how both faces print)",
      "renderer/src/views/b.ts imports '../../../core/oci/reference': the renderer reaches only core/api/ and core/text/ of core (the contract, its parsers, and how both faces print)",
      "core/api/humanize.ts imports 'node:fs' (reached from renderer/src/views/c.ts): a browser has no Node builtins",
    ]);
  });
});
