import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peer } from './cli.js';

/** An image made by umoci from busybox, the way a user of the OCI tools would make one: `layout:tag`. */
export function umociBusyboxImage(work: string, tag = 'latest'): string {
  const layout = join(work, 'umoci-layout');
  const bundle = join(work, 'umoci-bundle');
  peer('umoci', ['init', '--layout', layout]);
  peer('umoci', ['new', '--image', `${layout}:${tag}`]);
  peer('umoci', ['unpack', '--rootless', '--image', `${layout}:${tag}`, bundle]);
  mkdirSync(join(bundle, 'rootfs', 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(bundle, 'rootfs', 'bin', 'busybox'));
  writeFileSync(join(bundle, 'rootfs', 'hello.txt'), 'hello from umoci\n');
  peer('umoci', ['repack', '--image', `${layout}:${tag}`, bundle]);
  peer('umoci', ['config', '--image', `${layout}:${tag}`, '--config.cmd', '/bin/busybox', '--config.env', 'GREETING=hi']);
  return layout;
}
