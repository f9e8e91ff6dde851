import assert from 'node:assert/strict';
import { join } from 'node:path';
import { stevedore } from './cli.js';
import { busyboxLayer, makeLayer } from './layers.js';
import { writeLayout } from './ociLayout.js';

/** The applets the container tests use, from Debian's busybox-static. */
const APPLETS = [
  'sh',
  'echo',
  'cat',
  'id',
  'pwd',
  'true',
  'sleep',
  'ls',
  'httpd',
  'wget',
  'trap',
  'hostname',
  'ip',
  'ps',
  'kill',
];

/**
 * `box:v1`: busybox with an `app` user (uid 1000), `Cmd` echoing a greeting, `Env` and a
 * `WorkingDir` that does not exist in the image; loaded into the store at `root`.
 */
export async function loadBoxImage(root: string, work: string, extra: Parameters<typeof writeLayout>[1] = []): Promise<void> {
  writeLayout(join(work, 'box-layout'), [
    {
      refName: 'v1',
      layers: [
        await busyboxLayer(APPLETS),
        await makeLayer([
          { path: 'etc/', type: 'directory' },
          { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' },
          { path: 'etc/group', content: 'root:x:0:\napp:x:1000:\nstaff:x:50:app\n' },
        ]),
      ],
      config: { Cmd: ['echo', 'hello from the image'], Env: ['GREETING=hi'], WorkingDir: '/work' },
    },
    ...extra,
  ]);
  const r = stevedore(root, ['load', '-i', join(work, 'box-layout'), '--name', 'box']);
  assert.equal(r.code, 0, r.stderr);
}
