// docker's resource flags (`--memory`, `--memory-swap`, `--cpus`, `--cpu-shares`, `--pids-limit`)
// checked as the engine checks them (core/runtime/resources.ts planResources, whose sentences
// these are), so the app's Run dialog refuses as they are typed what `stevedore run` would. What
// depends on the engine's machine (its CPU count) is left to the engine, which has the last word.

/** The resource flags as typed, as RunRequest carries them. */
export interface ResourceTexts {
  memory?: string | undefined;
  memorySwap?: string | undefined;
  cpus?: string | undefined;
  cpuShares?: string | undefined;
  pidsLimit?: string | undefined;
}

/** docker's minimum for --memory (daemon/daemon_unix.go: linuxMinMemory). */
const MIN_MEMORY = 6 * 1024 * 1024;
/** The CFS period docker uses for --cpus (100 ms, in µs). */
const CPU_PERIOD = 100_000;
const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** docker's RAMInBytes (go-units): `32m`, `1.5g`, `512k`, `100MB`, `64mib`; binary units. */
function memorySize(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp]?)(?:i?b)?$/i.exec(text.trim());
  if (!match) return null;
  return Math.floor(Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? 1));
}

/** Why the engine would refuse these flags (its first refusal, in its words), or null. */
export function checkResources(asked: ResourceTexts): string | null {
  let memory: number | null = null;
  if (asked.memory !== undefined) {
    memory = memorySize(asked.memory);
    if (memory === null) return `invalid --memory "${asked.memory}": expected a size such as 32m or 1g`;
    if (memory < MIN_MEMORY) return 'minimum memory limit allowed is 6MB';
  }
  if (asked.memorySwap !== undefined) {
    const swap = asked.memorySwap.trim() === '-1' ? -1 : memorySize(asked.memorySwap);
    if (swap === null) return `invalid --memory-swap "${asked.memorySwap}": expected a size such as 64m, or -1`;
    if (memory === null) return 'you should always set the memory limit when using the memory-swap limit, see usage';
    if (swap !== -1 && swap < memory) return 'minimum memory-swap limit should be larger than memory limit, see usage';
  }
  if (asked.cpus !== undefined) {
    const cpus = /^\d*\.?\d+$/.test(asked.cpus.trim()) ? Number(asked.cpus) : Number.NaN;
    if (!(cpus > 0)) return `invalid --cpus "${asked.cpus}": expected a positive number such as 0.5`;
    if (Math.floor((Math.round(cpus * 1e9) * CPU_PERIOD) / 1e9) < 1000) return 'range of CPUs is from 0.01';
  }
  if (asked.cpuShares !== undefined) {
    if (!/^-?\d+$/.test(asked.cpuShares.trim())) return `invalid --cpu-shares "${asked.cpuShares}": expected a whole number`;
    if (Number.parseInt(asked.cpuShares, 10) < 0) return `invalid --cpu-shares "${asked.cpuShares}": it cannot be negative`;
  }
  if (asked.pidsLimit !== undefined && !/^-?\d+$/.test(asked.pidsLimit.trim())) {
    return `invalid --pids-limit "${asked.pidsLimit}": expected a whole number`;
  }
  return null;
}
