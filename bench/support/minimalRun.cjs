// The floor of `run --rm IMAGE true` in Node: `node minimalRun.cjs BUNDLE STATE ID` does only what
// a run of an image's container cannot skip, each the cheapest way Node has: a writable layer over
// the image's files (an overlay, mounted by mount(8): Node has no mount(2)), the runtime spec
// written beside it, `runc run` in the foreground, then the overlay unmounted and the layer
// removed (--rm). The three programs run from one sh, whose forks are cheaper than Node's.
// BUNDLE is a runc bundle whose rootfs/ holds the image's files and whose config.json runs the
// command; STATE is runc's state root; ID names the container. No image store, no record of the
// container, no network, no logs; Node built-ins only.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const [bundle, state, id] = process.argv.slice(2);
const dir = join(state, `${id}.run`);

for (const sub of ['upper', 'work', 'rootfs']) mkdirSync(join(dir, sub), { recursive: true });
writeFileSync(join(dir, 'config.json'), readFileSync(join(bundle, 'config.json')));
const overlay = `lowerdir=${join(bundle, 'rootfs')},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`;
const r = spawnSync(
  'sh',
  [
    '-c',
    'mount -t overlay overlay -o "$1" "$2/rootfs" || exit; runc --root "$3" run --bundle "$2" "$4"; s=$?; umount "$2/rootfs"; exit $s',
    'sh',
    overlay,
    dir,
    state,
    id,
  ],
  { stdio: 'inherit' },
);
rmSync(dir, { recursive: true, force: true });
if (r.status !== 0) throw new Error(`minimalRun: ${r.error?.message ?? `exit ${r.status}`}`);
