import { release } from 'node:os';
import { StevedoreError } from '../../errors.js';
import {
  ARCH_FAMILIES,
  type ArgCondition,
  DEFAULT_POLICY,
  DENIED_ERRNO,
  type HostArch,
  type SyscallRule,
} from './defaultPolicy.js';
import { type DockerSeccompProfile, parseSeccompProfile } from './dockerProfile.js';

/** The runtime spec's `linux.seccomp` (config-linux.md, Seccomp). */
export interface LinuxSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: string[];
  syscalls: LinuxSyscall[];
}
interface LinuxSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: { index: number; value: number; valueTwo?: number | undefined; op: string }[];
}

/** What a container runs under: the default policy, none (`seccomp=unconfined`), or a docker profile. */
export type SeccompChoice = 'default' | 'unconfined' | { profile: DockerSeccompProfile };

/** What the policy needs to know of the host; the running one unless a test says otherwise. */
export interface SeccompHost {
  arch: HostArch | undefined;
  /** uname -r */
  kernel: string;
}

export function runningHost(): SeccompHost {
  return { arch: process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : undefined, kernel: release() };
}

/** `--security-opt` values (docker's syntax, a profile given as its JSON text): the seccomp choice. */
export function seccompChoice(securityOpt: readonly string[] | undefined): SeccompChoice {
  let choice: SeccompChoice = 'default';
  for (const option of securityOpt ?? []) {
    const [key, value = ''] = splitOption(option);
    // containerOptions.ts reads no-new-privileges.
    if (key === 'no-new-privileges') continue;
    if (key !== 'seccomp') {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `unsupported security option "${key}": only seccomp=unconfined|FILE and no-new-privileges[=true|false] are`,
      );
    }
    if (value === 'unconfined') choice = 'unconfined';
    else if (value === 'builtin') choice = 'default';
    else choice = { profile: parseSeccompProfile(value, 'given') };
  }
  return choice;
}

function splitOption(option: string): [string, string | undefined] {
  // docker takes both `seccomp=x` and the older `seccomp:x`.
  const at = option.search(/[=:]/);
  return at < 0 ? [option, undefined] : [option.slice(0, at), option.slice(at + 1)];
}

/**
 * `linux.seccomp` for a container with these capabilities (its bounding set), on this host;
 * undefined for none. A rule applies as docker's `includes`/`excludes` say: capability-bound
 * calls only with the capability, arch-specific ones only on that arch.
 */
export function seccompFor(
  choice: SeccompChoice,
  capabilities: readonly string[],
  host: SeccompHost = runningHost(),
): LinuxSeccomp | undefined {
  if (choice === 'unconfined') return undefined;
  if (choice === 'default') return defaultSeccomp(capabilities, host);
  return fromDockerProfile(choice.profile, capabilities, host);
}

function defaultSeccomp(capabilities: readonly string[], host: SeccompHost): LinuxSeccomp {
  const applies = (rule: SyscallRule) =>
    (!rule.withCapability || capabilities.includes(rule.withCapability)) &&
    (!rule.withoutCapability || !capabilities.includes(rule.withoutCapability)) &&
    (!rule.arches || (host.arch !== undefined && rule.arches.includes(host.arch))) &&
    (!rule.minKernel || kernelAtLeast(host.kernel, rule.minKernel));
  return {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: DENIED_ERRNO,
    ...(host.arch ? { architectures: [...ARCH_FAMILIES[host.arch]] } : {}),
    syscalls: DEFAULT_POLICY.filter(applies).map((rule) => ({
      names: [...rule.names],
      ...(rule.errno !== undefined ? { action: 'SCMP_ACT_ERRNO', errnoRet: rule.errno } : { action: 'SCMP_ACT_ALLOW' }),
      ...(rule.args ? { args: rule.args.map(specArg) } : {}),
    })),
  };
}

function specArg(condition: ArgCondition): { index: number; value: number; valueTwo?: number; op: string } {
  switch (condition.is) {
    case 'equal':
      return { index: condition.index, value: condition.value, op: 'SCMP_CMP_EQ' };
    case 'less':
      return { index: condition.index, value: condition.value, op: 'SCMP_CMP_LT' };
    case 'greater':
      return { index: condition.index, value: condition.value, op: 'SCMP_CMP_GT' };
    case 'masked':
      return { index: condition.index, value: condition.mask, valueTwo: condition.value, op: 'SCMP_CMP_MASKED_EQ' };
  }
}

/** Docker's names for the host architecture, as its profiles' `arches` and `archMap` use them. */
const DOCKER_ARCH: Record<HostArch, { name: string; seccomp: string }> = {
  x86_64: { name: 'amd64', seccomp: 'SCMP_ARCH_X86_64' },
  aarch64: { name: 'arm64', seccomp: 'SCMP_ARCH_AARCH64' },
};

/** What docker does with a profile file (moby profiles/seccomp setupSeccomp): its conditions resolved here. */
function fromDockerProfile(profile: DockerSeccompProfile, capabilities: readonly string[], host: SeccompHost): LinuxSeccomp {
  const arch = host.arch ? DOCKER_ARCH[host.arch] : undefined;
  const mapped = profile.archMap?.find((a) => a.architecture === arch?.seccomp);
  const architectures = profile.architectures?.length
    ? profile.architectures
    : mapped
      ? [mapped.architecture, ...(mapped.subArchitectures ?? [])]
      : undefined;
  const syscalls: LinuxSyscall[] = [];
  for (const call of profile.syscalls ?? []) {
    const { includes, excludes } = call;
    if (excludes?.arches?.length && arch && excludes.arches.includes(arch.name)) continue;
    if (excludes?.caps?.some((c) => capabilities.includes(c))) continue;
    if (excludes?.minKernel && kernelAtLeast(host.kernel, excludes.minKernel)) continue;
    if (includes?.arches?.length && !(arch && includes.arches.includes(arch.name))) continue;
    if (includes?.caps?.length && !includes.caps.every((c) => capabilities.includes(c))) continue;
    if (includes?.minKernel && !kernelAtLeast(host.kernel, includes.minKernel)) continue;
    syscalls.push({
      names: call.name ? [call.name] : [...(call.names ?? [])],
      action: call.action,
      ...(call.errnoRet != null ? { errnoRet: call.errnoRet } : {}),
      ...(call.args?.length ? { args: call.args } : {}),
    });
  }
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet != null ? { defaultErrnoRet: profile.defaultErrnoRet } : {}),
    ...(architectures ? { architectures } : {}),
    ...(profile.flags?.length ? { flags: profile.flags } : {}),
    syscalls,
  };
}

/** Whether kernel release `running` (uname -r: `6.1.0-18-amd64`) is at least `minimum` (`4.8`). */
export function kernelAtLeast(running: string, minimum: string): boolean {
  const parse = (v: string) => (/^(\d+)\.(\d+)/.exec(v) ?? []).slice(1, 3).map(Number);
  const [major = 0, minor = 0] = parse(running);
  const [wantMajor = 0, wantMinor = 0] = parse(minimum);
  return major !== wantMajor ? major > wantMajor : minor >= wantMinor;
}
