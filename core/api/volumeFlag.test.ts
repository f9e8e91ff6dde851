import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMountSpec } from './mountSpec.js';
import { routeMountFlag, routeVolumeFlag } from './volumeFlag.js';

describe('routeVolumeFlag (docker -v) and routeMountFlag (--mount)', () => {
  const cwd = '/home/u/project';
  const routes: [string, { field: string; text: string }][] = [
    ['/srv:/data', { field: 'volumes', text: '/srv:/data' }],
    ['/srv:/data:ro', { field: 'volumes', text: '/srv:/data:ro' }],
    ['./dir:/in', { field: 'volumes', text: '/home/u/project/dir:/in' }],
    ['../up/./x:/in:rw', { field: 'volumes', text: '/home/u/up/x:/in' }],
    ['.:/in', { field: 'volumes', text: '/home/u/project:/in' }],
    ['/data', { field: 'mounts', text: 'type=volume,dst=/data' }],
    ['cache:/var/cache/', { field: 'mounts', text: 'type=volume,src=cache,dst=/var/cache' }],
    ['my_vol.1:/x:ro', { field: 'mounts', text: 'type=volume,src=my_vol.1,dst=/x,readonly' }],
    ['cache:/x:nocopy', { field: 'mounts', text: 'type=volume,src=cache,dst=/x,volume-nocopy' }],
    ['cache:/x:ro,nocopy', { field: 'mounts', text: 'type=volume,src=cache,dst=/x,readonly,volume-nocopy' }],
    ['./src:/src:Z', { field: 'volumes', text: '/home/u/project/src:/src' }],
    ['/srv:/data:ro,z,cached', { field: 'volumes', text: '/srv:/data:ro' }],
  ];
  for (const [text, expected] of routes) {
    it(`-v ${text}`, () => assert.deepEqual(routeVolumeFlag(text, cwd), { ok: true, ...expected }));
  }
  const refusals: [string, RegExp][] = [
    ['data', /the container path must be absolute$/],
    ['/', /the container path cannot be \/$/],
    ['a:/x', /"a" includes invalid characters for a local volume name/],
    ['bad/name:/x', /"bad\/name" includes invalid characters/],
    ['vol:rel', /the container path must be absolute$/],
    ['vol:/x:rx', /unknown mode "rx"/],
    ['/srv:/x:nocopy', /nocopy is only for volumes/],
    ['vol:/x:ro,rw', /ro and rw together/],
    ['/srv:/x:rshared', /unknown mode "rshared"/],
    ['/a:/b:ro:x', /expected HOST:CONTAINER\[:ro\] or NAME:CONTAINER\[:ro\]$/],
  ];
  for (const [text, message] of refusals) {
    it(`refuses -v ${text}`, () => {
      const routed = routeVolumeFlag(text, cwd);
      assert.equal(routed.ok, false);
      assert.match(routed.ok ? '' : routed.message, message);
      assert.match(
        routed.ok ? '' : routed.message,
        new RegExp(`^invalid volume "${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": `),
      );
    });
  }

  it('--mount: binds go to volumes with a relative source resolved; volumes and tmpfs to mounts', () => {
    assert.deepEqual(routeMountFlag('type=bind,src=./d,dst=/b,readonly', cwd), {
      ok: true,
      field: 'volumes',
      text: '/home/u/project/d:/b:ro',
    });
    assert.deepEqual(routeMountFlag('type=volume,source=v1,target=/v,ro=true', cwd), {
      ok: true,
      field: 'mounts',
      text: 'type=volume,src=v1,dst=/v,readonly',
    });
    assert.deepEqual(routeMountFlag('dst=/anon', cwd), { ok: true, field: 'mounts', text: 'type=volume,dst=/anon' });
    assert.deepEqual(routeMountFlag('type=tmpfs,destination=/t,tmpfs-size=64m,tmpfs-mode=1770', cwd), {
      ok: true,
      field: 'mounts',
      text: `type=tmpfs,dst=/t,tmpfs-size=${64 * 1024 * 1024},tmpfs-mode=1770`,
    });
    const colon = routeMountFlag('type=bind,src=/a:b,dst=/b', cwd);
    assert.match(colon.ok ? '' : colon.message, /contains ":"/);
  });

  it('--mount refusals name the text', () => {
    for (const [text, why] of [
      ['type=bind,dst=/b', /source is required for a bind mount$/],
      ['type=volume,src=v', /target is required$/],
      ['type=tmpfs,src=x,dst=/t', /a tmpfs takes no source$/],
      ['type=volume,dst=/v,tmpfs-size=1m', /tmpfs options are only for type=tmpfs$/],
      ['type=volume,dst=/v,readonly=maybe', /invalid value for readonly: maybe$/],
      ['type=volume,dst=/v,bogus', /invalid field 'bogus' must be a key=value pair$/],
      ['type=volume,src=../x,dst=/v', /"..\/x" is not a volume name/],
      ['type=npipe,dst=/v', /mount type "npipe" is not supported/],
    ] as const) {
      const parsed = parseMountSpec(text);
      assert.equal(parsed.ok, false, text);
      assert.match(parsed.ok ? '' : parsed.message, why);
      assert.ok(!parsed.ok && parsed.message.startsWith(`invalid argument "${text}" for --mount: `));
    }
  });
});
