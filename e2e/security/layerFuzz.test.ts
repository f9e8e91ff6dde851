import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { stevedore } from '../../testkit/cli.js';
import { type LayerEntry, makeLayer } from '../../testkit/layers.js';
import { type TestImage, writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';

// Issue 12, acceptance 2: hostile layers generated from a seed, applied by the real `stevedore
// unpack` into a directory that sits beside sentinel files, and every absolute path their links
// name is a sentinel too (under the test's temp directory: never the host's own files). After each
// image, nothing outside the target may differ: no sentinel's content, mode, owner or mtime, no
// new file. Unpack may refuse a layer, in one line.
//
// The seed is fixed so that a run is repeatable; STEVEDORE_FUZZ_SEED=<n> replays another,
// STEVEDORE_FUZZ_SEED=random draws one (printed, as is the seed of any failing case).

const seed = (() => {
  const asked = process.env.STEVEDORE_FUZZ_SEED;
  if (asked === 'random') return randomInt(2 ** 31);
  return asked ? Number(asked) : 20_261_203;
})();
/** Layers at least (acceptance 2 asks 200), batched 1 to 4 per image: one `unpack` per image. */
const MIN_LAYERS = 220;

/** mulberry32: a small seeded PRNG, enough to replay a case from its seed. */
function prng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const work = tempDir('stevedore-layer-fuzz-');
const fuzz = join(work, 'fuzz');
const sentinel = join(fuzz, 'sentinel');
const outDir = join(fuzz, 'out');
const target = join(outDir, 'target');
const store = join(work, 'store');

/** Sentinel paths that absolute links and names point at. */
const sentinelPaths = [
  sentinel,
  join(sentinel, 'secret'),
  join(sentinel, 'sub'),
  join(sentinel, 'sub', 'file'),
  join(sentinel, 'bin'),
  join(sentinel, 'bin', 'tool'),
  outDir,
  fuzz,
];

class Generator {
  private readonly random: () => number;
  /** Paths this image's layers made so far, for replacements, hard links and whiteouts. */
  private files: string[] = [];
  private dirs: string[] = [];

  constructor(caseSeed: number) {
    this.random = prng(caseSeed);
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }
  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  private chance(p: number): boolean {
    return this.random() < p;
  }

  private segment(): string {
    return this.pick([
      'a',
      'b',
      'd',
      'etc',
      'bin',
      'x y',
      'new\nline',
      'ünï-çödé',
      '日本',
      'tab\tbed',
      '-dash',
      'quo\'te"',
      'back\\slash',
      `long-${'n'.repeat(60 + this.int(120))}`,
      '.',
      '...',
    ]);
  }

  /** A path: mostly fresh or known names, sometimes absolute, `./`, a `..` in the middle or climbing out. */
  private path(): string {
    if (this.chance(0.35) && this.files.length + this.dirs.length > 0) return this.pick([...this.files, ...this.dirs]);
    // `..` inside a path but never climbing out by itself (`a/b/..`): a name that climbs out is
    // refused, and that ends the image, so those come rarely (below).
    const depth = 2 + this.int(3);
    let p = Array.from({ length: depth }, (_, i) => (i >= 2 && this.chance(0.2) ? '..' : this.segment())).join('/');
    if (this.chance(0.05)) p = `/${p}`;
    if (this.chance(0.05)) p = `./${p}`;
    if (this.chance(0.005)) p = `${'../'.repeat(1 + this.int(4))}sentinel/${p}`;
    if (this.chance(0.03)) p = `${sentinel.slice(1)}/${p}`;
    return p;
  }

  /** Where a link points: sentinels by absolute path or `..` chains, the root, itself, or a known path. */
  private linkTarget(): string {
    return this.pick([
      () => this.pick(sentinelPaths),
      () =>
        `${'../'.repeat(1 + this.int(8))}${this.pick(['sentinel', 'sentinel/secret', 'sentinel/sub', 'sentinel/bin/tool', 'out', ''])}`,
      () => '/',
      () => '.',
      () => '..',
      () => `/${this.path()}`,
      () => this.path(),
      () => (this.files.length > 0 ? this.pick(this.files) : 'nowhere'),
    ])();
  }

  private metadata(): Pick<LayerEntry, 'mode' | 'uid' | 'gid'> {
    return {
      mode: this.pick([0o755, 0o644, 0o4777, 0o6755, 0o1777, 0o000, 0o777, 0o700, 0o2711]),
      uid: this.pick([0, 0, 1000, 4242, 65534]),
      gid: this.pick([0, 0, 1000, 4242, 65534]),
    };
  }

  entry(): LayerEntry {
    const kind = this.pick([
      'dir',
      'dir',
      'file',
      'file',
      'symlink',
      'symlink',
      'symlink',
      'hardlink',
      'whiteout',
      'opaque',
      'replace',
      'special',
    ] as const);
    switch (kind) {
      case 'dir': {
        const path = `${this.path()}/`;
        this.dirs.push(path.slice(0, -1));
        return { path, type: 'directory', ...this.metadata() };
      }
      case 'file':
      case 'replace': {
        // 'replace': a known path, as whatever comes: the same-path replacements within and across layers.
        const path = kind === 'replace' && this.dirs.length > 0 ? this.pick(this.dirs) : this.path();
        if (kind === 'file') this.files.push(path);
        return { path, content: `content ${this.int(1e6)}\n`, ...this.metadata() };
      }
      case 'symlink': {
        const path = this.path();
        return { path, type: 'symlink', linkname: this.linkTarget(), ...this.metadata() };
      }
      case 'hardlink': {
        const path = this.path();
        // Mostly to a file the image has (else the layer is refused and ends there), sometimes anywhere.
        const linkname = this.chance(0.95) && this.files.length > 0 ? this.pick(this.files) : this.linkTarget();
        this.files.push(path);
        return { path, type: 'link', linkname };
      }
      case 'whiteout':
      case 'opaque': {
        const known = [...this.files, ...this.dirs];
        const victim = known.length > 0 && this.chance(0.8) ? this.pick(known) : this.path();
        const slash = victim.lastIndexOf('/');
        const [dir, name] = slash === -1 ? ['', victim] : [victim.slice(0, slash), victim.slice(slash + 1)];
        const marker = kind === 'opaque' ? '.wh..wh..opq' : `.wh.${name}`;
        return { path: dir ? `${dir}/${marker}` : marker, content: '' };
      }
      default:
        return this.chance(0.5)
          ? { path: this.path(), type: 'fifo', mode: 0o600 }
          : { path: this.path(), type: 'character-device', devmajor: 1, devminor: 3, mode: this.pick([0o666, 0o600, 0o000]) };
    }
  }

  async layer(index: number): Promise<Buffer> {
    const count = 3 + this.int(12);
    // A marker of its own, so that no two images share a layer (an unshared layer goes straight into the target).
    const entries: LayerEntry[] = [{ path: `fuzz-layer-${index}`, content: String(index) }];
    for (let i = 0; i < count; i++) entries.push(this.entry());
    return makeLayer(entries);
  }
}

/** A case's layers as `tar -tv` lists them, for the message of a failure. */
function listing(c: Case): string {
  return c.layers
    .map((layer, i) => `layer ${i + 1}:\n${spawnSync('tar', ['-tvf', '-'], { input: layer, encoding: 'utf8' }).stdout}`)
    .join('');
}

interface Case {
  index: number;
  seed: number;
  layers: Buffer[];
}

/** What is outside the target, down to mtimes: any escape shows here. */
function outside(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (path === target) continue;
      const st = lstatSync(path);
      const content = st.isFile()
        ? createHash('sha256').update(readFileSync(path)).digest('hex')
        : st.isSymbolicLink()
          ? `-> ${readlinkSync(path)}`
          : '';
      // The target's parent changes its mtime as the target comes and goes: all else of it still counts.
      const mtime = path === outDir ? '' : st.mtimeMs;
      out[path] = `${(st.mode & 0o177777).toString(8)} ${st.uid}:${st.gid} ${st.size} ${mtime} ${content}`;
      if (st.isDirectory()) walk(path);
    }
  };
  const self = lstatSync(fuzz);
  out[fuzz] = `${(self.mode & 0o177777).toString(8)} ${self.uid}:${self.gid} ${self.mtimeMs}`;
  walk(fuzz);
  return out;
}

describe('fuzz: generated hostile layers through stevedore unpack', () => {
  const cases: Case[] = [];

  before(async () => {
    mkdirSync(join(sentinel, 'sub'), { recursive: true });
    mkdirSync(join(sentinel, 'bin'));
    mkdirSync(outDir);
    writeFileSync(join(sentinel, 'secret'), 'do not touch\n');
    writeFileSync(join(sentinel, 'sub', 'file'), 'nor this\n');
    writeFileSync(join(sentinel, 'bin', 'tool'), '#!/bin/sh\n');
    for (const p of [join(sentinel, 'bin', 'tool'), join(sentinel, 'secret'), join(sentinel, 'sub', 'file')]) {
      chmodSync(p, 0o755);
      chownSync(p, 0, 0);
      utimesSync(p, 1_000_000, 1_000_000);
    }
    const seeds = prng(seed);
    let layers = 0;
    while (layers < MIN_LAYERS) {
      const index = cases.length;
      const caseSeed = Math.floor(seeds() * 2 ** 31);
      const generator = new Generator(caseSeed);
      const count = 1 + Math.floor(seeds() * 4);
      const made: Buffer[] = [];
      for (let l = 0; l < count; l++) made.push(await generator.layer(layers + l));
      cases.push({ index, seed: caseSeed, layers: made });
      layers += count;
    }
    const layout = join(work, 'layout');
    writeLayout(
      layout,
      cases.map((c): TestImage => ({ refName: `case${c.index}`, layers: c.layers, gzip: c.index % 3 === 0 })),
    );
    const r = stevedore(store, ['load', '-i', layout, '--name', 'fuzz']);
    assert.equal(r.code, 0, r.stderr);
  });

  it(`applies at least ${MIN_LAYERS} generated layers (seed ${seed}) and nothing outside the target moves`, () => {
    const before = outside();
    let refused = 0;
    for (const c of cases) {
      const where = `seed ${seed}, case ${c.index} (case seed ${c.seed}): replay with STEVEDORE_FUZZ_SEED=${seed}`;
      const r = stevedore(store, ['unpack', `fuzz:case${c.index}`, target]);
      if (r.code !== 0) {
        refused++;
        const lines = r.stderr.split('\n').filter((l) => l !== '');
        if (r.code !== 1 || lines.length !== 1 || !lines[0]!.startsWith('error: ')) {
          assert.fail(`${where}: not a one-line refusal (exit ${r.code}):\n${r.stderr}\n${listing(c)}`);
        }
      }
      const after = outside();
      if (!isDeepStrictEqual(after, before)) {
        assert.deepEqual(after, before, `${where}: something outside the target changed\n${listing(c)}`);
      }
      rmSync(target, { recursive: true, force: true });
    }
    assert.equal(existsSync('/sentinel'), false, `seed ${seed}: a .. chain reached the host's /`);
    // Refusals are fine (a layer is refused at its first hostile entry that cannot be confined,
    // what came before it applied), but a fuzz that refuses everything tests little.
    assert.ok(refused <= cases.length * 0.8, `seed ${seed}: ${refused} of ${cases.length} images refused`);
  });
});
