import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { RunRequest } from '../api/containers.schema.js';
import { StevedoreError } from '../errors.js';
import { CGROUP_ROOT as CGROUP, cgroupV2 } from '../system/cgroupVersion.js';

/** What a container is limited to, as the engine keeps it: bytes, CFS quota, shares, pids; null is no limit. */
export const containerResources = z.object({
  memoryBytes: z.number().int().nullable(),
  /** Memory and swap together, as docker's --memory-swap and the runtime spec's `swap`; -1 unlimited. */
  memorySwapBytes: z.number().int().nullable(),
  /** --cpus as docker's NanoCPUs: a billionth of a CPU. */
  nanoCpus: z.number().int().nullable(),
  cpuShares: z.number().int().nullable(),
  pidsLimit: z.number().int().nullable(),
});
export type ContainerResources = z.infer<typeof containerResources>;

export const NO_RESOURCES: ContainerResources = {
  memoryBytes: null,
  memorySwapBytes: null,
  nanoCpus: null,
  cpuShares: null,
  pidsLimit: null,
};

/** docker's minimum for --memory (daemon/daemon_unix.go: linuxMinMemory). */
const MIN_MEMORY = 6 * 1024 * 1024;
/** The CFS period docker uses for --cpus (100 ms, in µs). */
const CPU_PERIOD = 100_000;
const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** docker's RAMInBytes (go-units): `32m`, `1.5g`, `512k`, `100MB`, `64mib`; binary units. */
export function parseMemorySize(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp]?)(?:i?b)?$/i.exec(text.trim());
  if (!match) return null;
  return Math.floor(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
}

const refuse = (message: string) => new StevedoreError('INVALID_ARGUMENT', message);

function integer(text: string, flag: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw refuse(`invalid ${flag} "${text}": expected a whole number`);
  return Number.parseInt(text, 10);
}

/** The request's resource flags checked as docker's daemon checks them; a bad value is refused in one line. */
export function planResources(asked: RunRequest['resources'], cpuCount = availableParallelism()): ContainerResources {
  if (!asked) return NO_RESOURCES;
  const plan = { ...NO_RESOURCES };
  if (asked.memory !== undefined) {
    const bytes = parseMemorySize(asked.memory);
    if (bytes === null) throw refuse(`invalid --memory "${asked.memory}": expected a size such as 32m or 1g`);
    if (bytes < MIN_MEMORY) throw refuse('minimum memory limit allowed is 6MB');
    plan.memoryBytes = bytes;
  }
  if (asked.memorySwap !== undefined) {
    const swap = asked.memorySwap.trim() === '-1' ? -1 : parseMemorySize(asked.memorySwap);
    if (swap === null) throw refuse(`invalid --memory-swap "${asked.memorySwap}": expected a size such as 64m, or -1`);
    if (plan.memoryBytes === null) {
      throw refuse('you should always set the memory limit when using the memory-swap limit, see usage');
    }
    if (swap !== -1 && swap < plan.memoryBytes) {
      throw refuse('minimum memory-swap limit should be larger than memory limit, see usage');
    }
    plan.memorySwapBytes = swap;
  }
  if (asked.cpus !== undefined) {
    const cpus = /^\d*\.?\d+$/.test(asked.cpus.trim()) ? Number(asked.cpus) : Number.NaN;
    if (!(cpus > 0)) throw refuse(`invalid --cpus "${asked.cpus}": expected a positive number such as 0.5`);
    if (cpus > cpuCount) {
      throw refuse(`range of CPUs is from 0.01 to ${cpuCount}.00, as there are only ${cpuCount} CPUs available`);
    }
    plan.nanoCpus = Math.round(cpus * 1e9);
    if (Math.floor((plan.nanoCpus * CPU_PERIOD) / 1e9) < 1000) throw refuse('range of CPUs is from 0.01');
  }
  if (asked.cpuShares !== undefined) {
    const shares = integer(asked.cpuShares, '--cpu-shares');
    // 0 is docker's "not set"; the kernel clamps the rest to 2..262144.
    if (shares < 0) throw refuse(`invalid --cpu-shares "${asked.cpuShares}": it cannot be negative`);
    plan.cpuShares = shares === 0 ? null : shares;
  }
  if (asked.pidsLimit !== undefined) {
    const limit = integer(asked.pidsLimit, '--pids-limit');
    // docker: 0 and -1 (any negative) are no limit.
    plan.pidsLimit = limit > 0 ? limit : null;
  }
  return plan;
}

export function hasResources(plan: ContainerResources): boolean {
  return Object.values(plan).some((v) => v !== null);
}

/**
 * The runtime spec's `linux.resources` (config-linux.md): memory and swap as docker sets them (no
 * --memory-swap: twice --memory, docker's default where swap is accounted), the CFS quota for
 * --cpus over docker's 100 ms period, shares, pids.
 */
export function ociResources(plan: ContainerResources): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  if (plan.memoryBytes !== null) {
    const swap = plan.memorySwapBytes ?? (swapAccounted() ? plan.memoryBytes * 2 : null);
    resources.memory = { limit: plan.memoryBytes, ...(swap !== null ? { swap } : {}) };
  }
  const cpu: Record<string, number> = {};
  if (plan.nanoCpus !== null) {
    cpu.period = CPU_PERIOD;
    cpu.quota = Math.floor((plan.nanoCpus * CPU_PERIOD) / 1e9);
  }
  if (plan.cpuShares !== null) cpu.shares = plan.cpuShares;
  if (Object.keys(cpu).length > 0) resources.cpu = cpu;
  if (plan.pidsLimit !== null) resources.pids = { limit: plan.pidsLimit };
  return resources;
}

/** cgroup v1 accounts swap only with the kernel's swapaccount; a swap limit where it is not is refused by runc. */
function swapAccounted(): boolean {
  if (!cgroupV2()) return existsSync(`${CGROUP}/memory/memory.memsw.limit_in_bytes`);
  // v2 has no memory.swap.max at its root: a child's says whether swap is accounted.
  return ['system.slice', 'init.scope', 'user.slice'].some((child) => existsSync(`${CGROUP}/${child}/memory.swap.max`));
}

/** The cgroup controllers the asked limits need that this host lacks, named for the refusal. */
export function missingControllers(plan: ContainerResources): string[] {
  const needed = new Set<string>();
  if (plan.memoryBytes !== null) needed.add('memory');
  if (plan.nanoCpus !== null || plan.cpuShares !== null) needed.add('cpu');
  if (plan.pidsLimit !== null) needed.add('pids');
  let present: (c: string) => boolean;
  if (cgroupV2()) {
    let controllers: string[] = [];
    try {
      controllers = readFileSync(`${CGROUP}/cgroup.controllers`, 'utf8').trim().split(/\s+/);
    } catch {
      // no list: none can be used
    }
    present = (c) => controllers.includes(c);
  } else present = (c) => existsSync(`${CGROUP}/${c}`);
  return [...needed].filter((c) => !present(c));
}

/** The flags a plan came from, as the user typed them, for refusals. */
export function resourceFlags(plan: ContainerResources): string[] {
  const flags: [keyof ContainerResources, string][] = [
    ['memoryBytes', '--memory'],
    ['memorySwapBytes', '--memory-swap'],
    ['nanoCpus', '--cpus'],
    ['cpuShares', '--cpu-shares'],
    ['pidsLimit', '--pids-limit'],
  ];
  return flags.filter(([key]) => plan[key] !== null).map(([, flag]) => flag);
}

/**
 * Why a rootless engine cannot apply the limits asked for, or null when none is asked. runc as a
 * normal user gets no cgroup of its own here (cgroup v1 is never delegated to users, and v2 only
 * by systemd, which this runtime does not ask): a limit would be silently dropped, so it is refused.
 */
export function rootlessResourcesBlocker(asked: RunRequest['resources']): string | null {
  const flags = resourceFlags(planResources(asked));
  if (flags.length === 0) return null;
  return `${flags.join(', ')} cannot be applied by the rootless runtime: it has no cgroup of its own to limit containers with (run the engine as root for limits)`;
}
