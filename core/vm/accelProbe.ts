import { spawn } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { writeFileAtomic } from '../system/atomicFile.js';
import type { Accelerator } from './qemuCommand.js';

/**
 * Which accelerator QEMU gets, found by trying rather than guessed: /dev/kvm can open and still
 * run no guest (a host that is itself a VM without nested virtualization: the kernel never gets
 * past its real-mode setup). So KVM is chosen only when a kernel boots under it, to its end, in
 * a few seconds; anything else is TCG, with the reason said.
 */
export interface AcceleratorChoice {
  accel: Accelerator;
  /** Why, in words for the status line and the test output. */
  reason: string;
}

export interface ProbeSteps {
  /** undefined when /dev/kvm opens read-write, else why not. */
  kvmDevice(): string | undefined;
  /** Whether a kernel, booted under KVM, reaches its end within the time. */
  kernelBootsUnderKvm(timeoutMs: number): Promise<{ ok: boolean; detail: string }>;
}

export async function chooseAccelerator(steps: ProbeSteps, timeoutMs: number): Promise<AcceleratorChoice> {
  const noDevice = steps.kvmDevice();
  if (noDevice) return { accel: 'tcg', reason: `KVM is not usable (${noDevice}); TCG emulates the CPU` };
  const boot = await steps.kernelBootsUnderKvm(timeoutMs);
  if (boot.ok) return { accel: 'kvm', reason: `a kernel booted under KVM (${boot.detail})` };
  return { accel: 'tcg', reason: `/dev/kvm opens but no kernel boots under it (${boot.detail}); TCG emulates the CPU` };
}

export function kvmDevice(path = '/dev/kvm'): string | undefined {
  try {
    closeSync(openSync(path, constants.O_RDWR));
    return undefined;
  } catch (err) {
    return `${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}

/**
 * Boots `kernel` with no root under KVM: with panic=-1 and -no-reboot the kernel's panic for
 * want of a root filesystem ends QEMU, which is the proof that the whole kernel ran. Where KVM
 * does not work, QEMU sits silent until it is killed at the timeout.
 */
export function kernelBootsUnderKvm(qemu: string, kernel: string, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  const started = Date.now();
  const child = spawn(
    qemu,
    [
      ...['-no-user-config', '-nodefaults', '-display', 'none', '-machine', 'q35', '-accel', 'kvm', '-cpu', 'host', '-m', '128'],
      ...['-kernel', kernel, '-append', 'console=ttyS0 panic=-1', '-serial', 'stdio', '-no-reboot'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let serial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    serial = (serial + s).slice(-64 * 1024);
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr = (stderr + s).slice(-4096);
  });
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: err.message });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      const booted = /Linux version/.test(serial) && /Kernel panic|Unable to mount root/.test(serial);
      if (booted) resolve({ ok: true, detail: `to the end of its boot in ${ms} ms` });
      else if (timedOut)
        resolve({
          ok: false,
          detail: `the kernel printed ${/Linux version/.test(serial) ? 'its banner only' : 'nothing'} within ${timeoutMs} ms`,
        });
      // QEMU itself gave up: an assertion (SIGABRT) on a register the host's KVM would not set, say.
      else if (signal) resolve({ ok: false, detail: `QEMU was killed by ${signal} after ${ms} ms: ${qemuSaid(stderr)}` });
      else resolve({ ok: false, detail: `QEMU exited (${code}): ${qemuSaid(stderr)}` });
    });
  });
}

/** QEMU's first complaint: its `error:` line, else its last line (an assertion after it adds little). */
function qemuSaid(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines.find((line) => /error:/.test(line)) ?? lines.pop() ?? '';
}

interface CachedChoice extends AcceleratorChoice {
  key: string;
}

/**
 * What the answer depends on: this QEMU, this host kernel and this boot of it (a module loaded or
 * a setting changed since is a new boot or a new kernel more often than not).
 */
export function probeKey(qemuVersion: string): string {
  let bootId = '';
  try {
    bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {}
  return `${qemuVersion}|${release()}|${bootId}`;
}

/** The probe's answer, from `cacheFile` when it was found for the same key, else probed and kept there. */
export async function probeAccelerator(options: {
  qemu: { path: string; version: string };
  kernel: string;
  cacheFile: string;
  timeoutMs?: number;
  steps?: ProbeSteps;
}): Promise<AcceleratorChoice & { cached: boolean }> {
  const key = probeKey(options.qemu.version);
  try {
    const cached = JSON.parse(readFileSync(options.cacheFile, 'utf8')) as CachedChoice;
    if (cached.key === key && (cached.accel === 'kvm' || cached.accel === 'tcg')) {
      return { accel: cached.accel, reason: cached.reason, cached: true };
    }
  } catch {}
  const steps = options.steps ?? {
    kvmDevice: () => kvmDevice(),
    kernelBootsUnderKvm: (ms) => kernelBootsUnderKvm(options.qemu.path, options.kernel, ms),
  };
  const choice = await chooseAccelerator(steps, options.timeoutMs ?? 6000);
  writeFileAtomic(options.cacheFile, `${JSON.stringify({ ...choice, key } satisfies CachedChoice, null, 2)}\n`);
  return { ...choice, cached: false };
}
