import { z } from 'zod';
import { deviceMapping, type RunRequest, ulimit } from '../api/containers.schema.js';
import { isIPv4, isIPv6 } from '../api/ipAddress.js';
import { StevedoreError } from '../errors.js';
import { containerCapabilities, DEFAULT_CAPABILITIES } from './capabilities.js';
import { parseDeviceFlag } from './deviceFlags.js';
import { findInit } from './initProcess.js';
import { type DnsSettings, NO_DNS_SETTINGS } from './resolvConfOptions.js';
import {
  containerResources,
  missingControllers,
  NO_RESOURCES,
  parseMemorySize,
  planResources,
  resourceFlags,
} from './resources.js';
import { parseSysctls } from './sysctls.js';
import { parseUlimits } from './ulimits.js';

/**
 * What docker's run flags set on a container beyond its process (issue 17), kept in its record:
 * limits, capabilities, no-new-privileges, a read-only rootfs, /etc/hosts and resolv.conf lines,
 * labels, the init, devices, rlimits, sysctls, /dev/shm's size, added groups, the stop timeout. Records made
 * before them read as the containers then ran.
 */
export const containerOptions = z.object({
  resources: containerResources,
  capabilities: z.array(z.string()),
  privileged: z.boolean(),
  noNewPrivileges: z.boolean(),
  readOnly: z.boolean(),
  /** `--add-host`: `ip` is an address or `host-gateway`, resolved at each start. */
  extraHosts: z.array(z.object({ name: z.string(), ip: z.string() })),
  dns: z.object({ servers: z.array(z.string()), search: z.array(z.string()), options: z.array(z.string()) }),
  labels: z.record(z.string(), z.string()),
  /** The init binary on the engine's machine (`--init`), mounted at /sbin/docker-init. */
  initPath: z.string().nullable(),
  /** `--device`s, found again at each start. */
  devices: z.array(deviceMapping).default([]),
  /** `--ulimit`s (records made before them: none, the engine's limits inherited). */
  ulimits: z.array(ulimit).default([]),
  /** `--sysctl`s of the container's own namespaces. */
  sysctls: z.record(z.string(), z.string()).default({}),
  /** `--shm-size`: /dev/shm's size in bytes; null is docker's 64 MiB. */
  shmSizeBytes: z.number().int().positive().nullable().default(null),
  /** `--group-add`: more supplementary groups, names of the image's /etc/group or numbers. */
  groupAdd: z.array(z.string()).default([]),
  /** `--stop-timeout`: the seconds `stop` waits by default before SIGKILL (-1: for ever); null is 10. */
  stopTimeout: z.number().int().min(-1).nullable().default(null),
});
export type ContainerOptions = z.infer<typeof containerOptions>;

/** Containers recorded before these options ran with docker's capabilities and no-new-privileges. */
export const OPTIONS_BEFORE_THEM: ContainerOptions = {
  resources: NO_RESOURCES,
  capabilities: DEFAULT_CAPABILITIES,
  privileged: false,
  noNewPrivileges: true,
  readOnly: false,
  extraHosts: [],
  dns: NO_DNS_SETTINGS,
  labels: {},
  initPath: null,
  devices: [],
  ulimits: [],
  sysctls: {},
  shmSizeBytes: null,
  groupAdd: [],
  stopTimeout: null,
};

const refuse = (message: string) => new StevedoreError('INVALID_ARGUMENT', message);

/**
 * `--security-opt no-new-privileges[=true|false]` (also `:`), docker's default off; the last one
 * given wins. The seccomp options are seccompPolicy.ts's.
 */
export function noNewPrivileges(securityOpt: readonly string[] | undefined): boolean {
  let on = false;
  for (const option of securityOpt ?? []) {
    const match = /^no-new-privileges(?:[=:](.*))?$/.exec(option);
    if (!match) continue;
    const value = match[1];
    if (value === undefined || value === 'true') on = true;
    else if (value === 'false') on = false;
    else throw refuse(`invalid --security-opt ${option}: no-new-privileges takes true or false`);
  }
  return on;
}

/** docker's `--add-host NAME:IP` (or `NAME=IP`); the address may be IPv6, or `host-gateway`. */
function parseExtraHost(text: string): { name: string; ip: string } {
  const at = text.search(/[:=]/);
  const name = at < 0 ? '' : text.slice(0, at);
  const ip = at < 0 ? '' : text.slice(at + 1).replace(/^\[(.*)\]$/, '$1');
  if (!name || !/^[A-Za-z0-9_.-]+$/.test(name)) throw refuse(`invalid --add-host "${text}": expected NAME:IP`);
  if (ip !== 'host-gateway' && !isIPv4(ip) && !isIPv6(ip)) {
    throw refuse(`invalid --add-host "${text}": "${ip}" is not an IP address or host-gateway`);
  }
  return { name, ip };
}

function dnsSettings(request: RunRequest): DnsSettings {
  for (const server of request.dns ?? []) {
    if (!isIPv4(server) && !isIPv6(server)) throw refuse(`invalid --dns "${server}": expected an IP address`);
  }
  for (const option of [...(request.dnsSearch ?? []), ...(request.dnsOptions ?? [])]) {
    if (!option || /\s/.test(option)) throw refuse(`invalid DNS setting "${option}": one word, no spaces`);
  }
  return { servers: request.dns ?? [], search: request.dnsSearch ?? [], options: request.dnsOptions ?? [] };
}

/** The request's flags checked and resolved on the engine's machine; anything wrong is refused in one line. */
export function planContainerOptions(request: RunRequest): ContainerOptions {
  const privileged = request.privileged ?? false;
  if (request.initPath !== undefined && !request.init) throw refuse('--init-path needs --init');
  for (const key of Object.keys(request.labels ?? {})) if (!key) throw refuse('a label needs a key: KEY=VALUE');
  const resources = planResources(request.resources);
  const missing = missingControllers(resources);
  if (missing.length > 0) {
    throw refuse(
      `${resourceFlags(resources).join(', ')} cannot be applied here: this host has no cgroup ${missing.join(', ')} controller`,
    );
  }
  return {
    resources,
    capabilities: containerCapabilities(request.capAdd ?? [], request.capDrop ?? [], privileged),
    privileged,
    noNewPrivileges: noNewPrivileges(request.securityOpt),
    readOnly: request.readOnly ?? false,
    extraHosts: (request.extraHosts ?? []).map(parseExtraHost),
    dns: dnsSettings(request),
    labels: request.labels ?? {},
    initPath: request.init ? findInit(request.initPath) : null,
    devices: (request.devices ?? []).map(parseDeviceFlag),
    ulimits: parseUlimits(request.ulimits ?? []),
    sysctls: parseSysctls(request.sysctls ?? [], request.network === 'host'),
    shmSizeBytes: request.shmSize === undefined ? null : shmSize(request.shmSize),
    groupAdd: (request.groupAdd ?? []).map(groupName),
    stopTimeout: request.stopTimeout ?? null,
  };
}

/** docker's `--shm-size`: a size with a unit (64m, 1g), more than nothing. */
function shmSize(text: string): number {
  const bytes = parseMemorySize(text);
  if (bytes === null || bytes <= 0) throw refuse(`invalid --shm-size "${text}": expected a size such as 64m or 1g`);
  return bytes;
}

/** A `--group-add` as given: a group's name or number (looked up in the image at each start). */
function groupName(text: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(text)) throw refuse(`invalid --group-add "${text}": expected a group name or number`);
  return text;
}
