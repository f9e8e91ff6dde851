import { statSync } from 'node:fs';
import { posix } from 'node:path';
import type { DeviceMapping } from '../api/containers.schema.js';
import { StevedoreError } from '../errors.js';
import { deviceNode, type LinuxDevice } from './privilegedDevices.js';

const refuse = (text: string, why: string) => new StevedoreError('INVALID_ARGUMENT', `invalid --device "${text}": ${why}`);

/**
 * docker's `--device HOST[:CONTAINER][:PERMISSIONS]`: a device node of the engine's machine (the
 * machine's own, through a VM), at the same path in the container unless another is given, with
 * the cgroup access `rwm` unless fewer letters are given.
 */
export function parseDeviceFlag(text: string): DeviceMapping {
  const parts = text.split(':');
  const hostPath = parts[0] ?? '';
  let containerPath = hostPath;
  let permissions = 'rwm';
  if (parts.length === 3) [, containerPath = '', permissions = ''] = parts;
  else if (parts.length === 2) {
    if (/^[rwm]+$/.test(parts[1]!)) permissions = parts[1]!;
    else containerPath = parts[1]!;
  } else if (parts.length > 3) throw refuse(text, 'expected HOST[:CONTAINER][:PERMISSIONS]');
  if (!posix.isAbsolute(hostPath) || !posix.isAbsolute(containerPath)) throw refuse(text, 'device paths are absolute');
  if (!/^[rwm]+$/.test(permissions)) throw refuse(text, 'permissions are letters of rwm');
  return { hostPath, containerPath: posix.normalize(containerPath), permissions };
}

/**
 * The devices of a container's `--device`s as its start finds them: each node's type and numbers
 * read now (a node may come back with others), refused in one line when it is gone or no device.
 */
export function containerDevices(mappings: readonly DeviceMapping[]): { devices: LinuxDevice[]; rules: DeviceRule[] } {
  const devices: LinuxDevice[] = [];
  const rules: DeviceRule[] = [];
  for (const { hostPath, containerPath, permissions } of mappings) {
    let node: LinuxDevice | undefined;
    try {
      node = deviceNode(hostPath, statSync(hostPath));
    } catch (err) {
      throw new StevedoreError(
        'NOT_FOUND',
        `error gathering device information while adding custom device "${hostPath}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`,
      );
    }
    if (!node) throw new StevedoreError('INVALID_ARGUMENT', `--device ${hostPath} is not a device node`);
    devices.push({ ...node, path: containerPath });
    rules.push({ allow: true, type: node.type, major: node.major, minor: node.minor, access: permissions });
  }
  return { devices, rules };
}

/** A rule of the device cgroup (`linux.resources.devices`). */
export interface DeviceRule {
  allow: boolean;
  type?: 'c' | 'b';
  major?: number;
  minor?: number;
  access: string;
}
