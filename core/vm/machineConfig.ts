import { existsSync, readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { StevedoreError } from '../errors.js';
import { writeFileAtomic } from '../system/atomicFile.js';
import { MachineError } from './machineError.js';
import type { MachinePaths } from './machinePaths.js';

/** What a user chooses for a machine (`machine init --cpus --memory --disk-size`). */
export interface MachineSettings {
  cpus: number;
  memoryMiB: number;
  /** The data disk's size: a sparse file, so it takes only what the guest writes. */
  diskGiB: number;
}

/** podman machine's defaults, but for the disk: sparse, so 20 GiB costs nothing until used. */
export const DEFAULT_SETTINGS: MachineSettings = { cpus: 2, memoryMiB: 2048, diskGiB: 20 };

/** `machine.json`: the settings and the guest image the machine was made from. */
export interface MachineConfig extends MachineSettings {
  name: string;
  /** The guest image's name in the store, and its manifest's digest (what was unpacked). */
  image: string;
  imageDigest: string;
  agentVersion: string;
  created: string;
}

export function checkSettings(s: MachineSettings): MachineSettings {
  const whole = (value: number, what: string, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new StevedoreError('INVALID_ARGUMENT', `${what} must be a whole number from ${min} to ${max}, not ${value}.`);
  };
  whole(s.cpus, '--cpus', 1, 255);
  // Not more than the host has: QEMU would start and the host would swap or kill it.
  whole(s.memoryMiB, '--memory (MiB)', 256, Math.floor(totalmem() / 1024 ** 2));
  whole(s.diskGiB, '--disk-size (GiB)', 1, 16 * 1024);
  return s;
}

export function isInitialized(paths: MachinePaths): boolean {
  return existsSync(paths.config);
}

export function notInitialized(paths: MachinePaths): MachineError {
  const named = paths.name === 'default' ? '' : ` ${paths.name}`;
  return new MachineError(
    'not-initialized',
    `The machine "${paths.name}" is not initialized: create it with \`stevedore machine init${named}\`.`,
  );
}

export function readMachineConfig(paths: MachinePaths): MachineConfig {
  let text: string;
  try {
    text = readFileSync(paths.config, 'utf8');
  } catch {
    throw notInitialized(paths);
  }
  return JSON.parse(text) as MachineConfig;
}

export function writeMachineConfig(paths: MachinePaths, config: MachineConfig): void {
  writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`, { durable: true });
}
