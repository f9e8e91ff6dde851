import type { ContainerDetail } from '../api/containers.schema.js';
import type { ImageDetail } from '../api/images.schema.js';
import { familiarReference, parseReference } from '../oci/reference.js';

/** A stored name as docker shows it (`busybox:latest`, not `docker.io/library/busybox:latest`). */
function familiar(ref: string): string {
  try {
    return familiarReference(parseReference(ref));
  } catch {
    return ref;
  }
}

/** docker's zero time, which it shows for a container never started or never ended. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** What engines with newer fields add to a container's detail (labels, networks, OOM); absent from older ones. */
type NewerFields = {
  labels?: Record<string, string>;
  oomKilled?: boolean;
  networks?: {
    name: string;
    networkId: string | null;
    aliases: string[];
    ipAddress: string | null;
    gateway: string | null;
    macAddress: string | null;
    prefixLength: number | null;
  }[];
};

/** `80/tcp` → `[{HostIp, HostPort}]`, docker's NetworkSettings.Ports. */
function dockerPorts(ports: ContainerDetail['ports']): Record<string, { HostIp: string; HostPort: string }[]> {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    out[key] = [...(out[key] ?? []), { HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) }];
  }
  return out;
}

/**
 * A container as `docker inspect` prints it: docker's field names and nesting, for the fields
 * Stevedore has. The process as run is one argument list: its first is Path, and the image's
 * Entrypoint is told from the Cmd by the image's own (when the list starts with it).
 */
export function dockerContainer(d: ContainerDetail, image?: ImageDetail): Record<string, unknown> {
  const newer = d as ContainerDetail & NewerFields;
  const entrypoint = image?.config.entrypoint ?? null;
  const startsWithEntrypoint = entrypoint !== null && entrypoint.length > 0 && entrypoint.every((part, i) => d.args[i] === part);
  const running = d.state === 'running' || d.state === 'paused';
  return {
    Id: d.id,
    Created: d.created,
    Path: d.args[0] ?? '',
    Args: d.args.slice(1),
    State: {
      Status: d.state,
      Running: running,
      Paused: d.state === 'paused',
      Restarting: false,
      OOMKilled: newer.oomKilled ?? false,
      Dead: false,
      Pid: d.pid ?? 0,
      ExitCode: d.exitCode ?? 0,
      Error: d.error ?? '',
      StartedAt: d.startedAt ?? ZERO_TIME,
      FinishedAt: d.finishedAt ?? ZERO_TIME,
      // docker's State.Health, only for a container with a check (of the run under way here).
      ...(d.healthState
        ? {
            Health: {
              Status: d.healthState.status,
              FailingStreak: d.healthState.failingStreak,
              Log: d.healthState.log.map((r) => ({ Start: r.start, End: r.end, ExitCode: r.exitCode, Output: r.output })),
            },
          }
        : {}),
    },
    Image: d.imageId,
    LogPath: d.logPath,
    Name: `/${d.name}`,
    RestartCount: d.restartCount ?? 0,
    HostConfig: {
      Binds: d.volumes.map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`),
      NetworkMode: d.network === 'bridge' ? 'bridge' : d.network,
      PortBindings: Object.fromEntries(
        Object.entries(dockerPorts(d.ports)).map(([k, v]) => [
          k,
          v.map((b) => ({ HostIp: b.HostIp === '0.0.0.0' ? '' : b.HostIp, HostPort: b.HostPort })),
        ]),
      ),
      RestartPolicy: {
        Name: d.restartPolicy?.name ?? 'no',
        MaximumRetryCount: d.restartPolicy?.maximumRetryCount ?? 0,
      },
      AutoRemove: d.autoRemove,
      Devices: (d.devices ?? []).map((m) => ({
        PathOnHost: m.hostPath,
        PathInContainer: m.containerPath,
        CgroupPermissions: m.permissions,
      })),
      Ulimits: (d.ulimits ?? []).map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
      Sysctls: d.sysctls ?? {},
      ShmSize: d.shmSizeBytes ?? 64 * 1024 * 1024,
      GroupAdd: d.groupAdd ?? [],
    },
    Mounts: [
      ...d.volumes.map((v) => ({
        Type: 'bind',
        Source: v.source,
        Destination: v.target,
        Mode: v.readOnly ? 'ro' : '',
        RW: !v.readOnly,
        Propagation: 'rprivate',
      })),
      ...(d.mounts ?? []).map((m) =>
        m.type === 'volume'
          ? {
              Type: 'volume',
              Name: m.name,
              Source: '',
              Destination: m.target,
              Driver: 'local',
              Mode: m.readOnly ? 'ro' : 'z',
              RW: !m.readOnly,
              Propagation: '',
            }
          : { Type: 'tmpfs', Source: '', Destination: m.target, Mode: '', RW: true, Propagation: '' },
      ),
    ],
    Config: {
      Hostname: d.hostname,
      User: d.user,
      Tty: d.tty,
      Env: d.env,
      Cmd: startsWithEntrypoint ? d.args.slice(entrypoint.length) : d.args,
      Image: d.image,
      WorkingDir: d.workingDir,
      Entrypoint: startsWithEntrypoint ? entrypoint : null,
      Labels: newer.labels ?? {},
      StopSignal: d.stopSignal,
      ...(d.stopTimeout !== null && d.stopTimeout !== undefined ? { StopTimeout: d.stopTimeout } : {}),
      // docker's Config.Healthcheck: durations in nanoseconds.
      ...(d.healthcheck
        ? {
            Healthcheck: {
              Test: d.healthcheck.test,
              Interval: d.healthcheck.intervalMs * 1e6,
              Timeout: d.healthcheck.timeoutMs * 1e6,
              StartPeriod: d.healthcheck.startPeriodMs * 1e6,
              Retries: d.healthcheck.retries,
            },
          }
        : {}),
    },
    NetworkSettings: {
      Ports: dockerPorts(d.ports),
      IPAddress: d.ipAddress ?? '',
      Networks: Object.fromEntries(
        (
          newer.networks ?? [
            {
              name: d.network,
              networkId: null,
              aliases: [],
              ipAddress: d.ipAddress,
              gateway: null,
              macAddress: null,
              prefixLength: null,
            },
          ]
        ).map((n) => [
          n.name,
          {
            NetworkID: n.networkId ?? '',
            Aliases: n.aliases,
            IPAddress: n.ipAddress ?? '',
            IPPrefixLen: n.prefixLength ?? 0,
            Gateway: n.gateway ?? '',
            MacAddress: n.macAddress ?? '',
          },
        ]),
      ),
    },
  };
}

/** docker's `Config` keys, from the image config as stored (OCI and docker configs share them). */
function imageConfigOf(configJson: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(configJson) as { config?: Record<string, unknown> };
    return parsed.config ?? {};
  } catch {
    return {};
  }
}

/** `repo@sha256:…` for each repository the image is named in, as docker's RepoDigests. */
function repoDigests(d: ImageDetail): string[] {
  const repos = new Set(
    d.references.map((r) =>
      familiar(r)
        .replace(/@.*$/, '')
        .replace(/:[^:/]+$/, ''),
    ),
  );
  return [...repos].map((repo) => `${repo}@${d.digest}`);
}

/** An image as `docker image inspect` prints it. */
export function dockerImage(d: ImageDetail): Record<string, unknown> {
  let diffIds: string[] = [];
  let comment = '';
  try {
    const parsed = JSON.parse(d.configJson) as { rootfs?: { diff_ids?: string[] }; comment?: string };
    diffIds = parsed.rootfs?.diff_ids ?? [];
    comment = parsed.comment ?? '';
  } catch {
    diffIds = [];
  }
  return {
    Id: d.id,
    RepoTags: d.references.filter((r) => !r.includes('@')).map(familiar),
    RepoDigests: repoDigests(d),
    Parent: '',
    Comment: comment,
    Created: d.created ?? ZERO_TIME,
    Author: d.author ?? '',
    Config: imageConfigOf(d.configJson),
    Architecture: d.platform.architecture,
    ...(d.platform.variant ? { Variant: d.platform.variant } : {}),
    Os: d.platform.os,
    Size: d.size,
    RootFS: { Type: 'layers', Layers: diffIds },
    Metadata: { LastTagTime: ZERO_TIME },
  };
}
