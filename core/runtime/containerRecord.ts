import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { containerMount, networkMode, portRequest, volumeMount } from '../api/containers.schema.js';
import { healthcheck } from '../api/healthcheck.js';
import { NO_RESTART, restartPolicy } from '../api/restartPolicy.js';
import { StevedoreError } from '../errors.js';
import { writeFileAtomic } from '../system/atomicFile.js';
import { containerOptions, OPTIONS_BEFORE_THEM } from './containerOptions.js';
import { networkAttachment } from './network/attachment.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from './privateFile.js';
import { dockerSeccompProfile } from './seccomp/dockerProfile.js';

/** A container's ID, which is also its directory's name: 32 random bytes in hex. */
export const CONTAINER_ID = /^[0-9a-f]{64}$/;

/**
 * A container as Stevedore keeps it, in `<root>/containers/<id>/container.json`. Everything about
 * a container is in files (this record, conmon's exit file, the log), never only in a process's
 * memory, so `ps` is right whichever process asks and after any of them restarts.
 */
export const containerRecord = z.object({
  id: z.string().regex(CONTAINER_ID),
  name: z.string(),
  image: z.string(),
  imageId: z.string(),
  created: z.string(),
  config: z.object({
    args: z.array(z.string()),
    env: z.array(z.string()),
    workingDir: z.string(),
    user: z.string(),
    hostname: z.string(),
    tty: z.boolean(),
    interactive: z.boolean(),
    /**
     * docker's StdinOnce: a container made by `create -i` has its stdin closed when an attach's input
     * ends (or it detaches); `run -d -i`'s stays open for the next attach. Records before it: false.
     */
    stdinOnce: z.boolean().default(false),
    ports: z.array(portRequest),
    volumes: z.array(volumeMount),
    /** Volumes and tmpfs mounts (records made before them: none). */
    mounts: z.array(containerMount).default([]),
    network: networkMode,
    /** The user network it joined, of records made before `networks` (containerNetworkChoice.ts's joinedNetworks reads both). */
    userNetwork: z
      .object({ id: z.string(), name: z.string(), aliases: z.array(z.string()) })
      .nullable()
      .default(null),
    /**
     * The networks it is on with `network` bridge, in connect order (eth0, eth1, …): a user network
     * by ID, the default bridge as null; absent from records made before it (then `userNetwork`).
     */
    networks: z.array(z.object({ id: z.string().nullable(), name: z.string(), aliases: z.array(z.string()) })).optional(),
    stopSignal: z.string(),
    autoRemove: z.boolean(),
    /** `--security-opt seccomp=`: the default policy, none, or a docker profile (records made before it: the default). */
    seccomp: z
      .union([z.literal('default'), z.literal('unconfined'), z.object({ profile: dockerSeccompProfile })])
      .default('default'),
    /** `--restart` (records made before it: no). */
    restart: restartPolicy.default(NO_RESTART),
    /** The image's HEALTHCHECK with the `--health-*` flags over it; null: none (records made before it: none). */
    healthcheck: healthcheck.nullable().default(null),
    /** docker's run flags of issue 17: limits, capabilities, hosts, labels, init (records made before them: as they ran). */
    options: containerOptions.default(OPTIONS_BEFORE_THEM),
  }),
  state: z.object({
    status: z.enum(['created', 'running', 'exited']),
    /** Frozen by `pause` (runc pause, the cgroup freezer): still running, as docker's State.Paused. */
    paused: z.boolean().default(false),
    /** Who watches the process: conmon (detached runs), or the CLI that runs it in the foreground. */
    supervisor: z.enum(['conmon', 'cli']).nullable(),
    supervisorPid: z.number().int().nullable(),
    pid: z.number().int().nullable(),
    /** The process's start time in clock ticks (/proc/PID/stat), so a reused PID is not taken for it. */
    pidStartTicks: z.number().nullable(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    error: z.string().nullable(),
    /** Starts made by the restart policy since the user last started it (docker's RestartCount). */
    restartCount: z.number().int().default(0),
    /** The user stopped or killed it: the restart policy lets it be (until the user starts it again). */
    stoppedByUser: z.boolean().default(false),
    /** `restart` stops it to start it again: its end does not remove a --rm container (docker's HasBeenManuallyRestarted). */
    restarting: z.boolean().default(false),
  }),
  network: networkAttachment.nullable(),
});
export type ContainerRecord = z.infer<typeof containerRecord>;

function containersDir(root: string): string {
  return join(root, 'containers');
}

/** The IDs of the containers that have a directory (one being created may have no record yet). */
export function containerIds(root: string): string[] {
  const dir = containersDir(root);
  return existsSync(dir) ? readdirSync(dir).filter((name) => CONTAINER_ID.test(name)) : [];
}

/** A new container's directory, 0700 like `<root>/containers` itself: its files hold its env. */
export function makeContainerDir(root: string, id: string): void {
  makePrivateDir(containersDir(root));
  makePrivateDir(containerPaths(root, id).dir);
}

/** The files of one container; the directory is also its OCI bundle. */
export function containerPaths(root: string, id: string) {
  const dir = join(containersDir(root), id);
  return {
    dir,
    record: join(dir, 'container.json'),
    spec: join(dir, 'config.json'),
    rootfs: join(dir, 'rootfs'),
    log: join(dir, 'container.log'),
    /** Written by conmon when the container ends: its exit code. */
    exitFile: join(dir, 'exit'),
    pidFile: join(dir, 'pidfile'),
    conmonPidFile: join(dir, 'conmon.pid'),
    /** Written by conmon (in its persist dir) when the kernel's OOM killer ended the container. */
    oomFile: join(dir, 'oom'),
  };
}

export function readRecord(file: string): ContainerRecord {
  let text: string;
  let raw: unknown;
  try {
    text = readFileSync(file, 'utf8');
    const seen = seenRecords.get(file);
    if (seen?.text === text) return structuredClone(seen.record);
    raw = JSON.parse(text);
  } catch (err) {
    throw new StevedoreError('STORE_CORRUPT', `cannot read the container record ${file}: ${(err as Error).message}`);
  }
  const parsed = containerRecord.safeParse(raw);
  if (!parsed.success) throw new StevedoreError('STORE_CORRUPT', `the container record ${file} is not valid`);
  remember(file, text, parsed.data);
  return structuredClone(parsed.data);
}

/**
 * The record each file held when this process last wrote or validated it, with its text: a record
 * read back unchanged is not validated again. A run reads its record a dozen times, and zod's parse
 * of one took ~5 ms of the guest's only CPU under TCG (~35 ms of a `run --rm` through a machine).
 * Any other text (another process's write, an edit by hand) is validated as always. Callers get
 * copies, so that none changes what is remembered.
 */
const seenRecords = new Map<string, { text: string; record: ContainerRecord }>();
const SEEN_RECORDS_MAX = 256;

function remember(file: string, text: string, record: ContainerRecord): void {
  seenRecords.delete(file);
  seenRecords.set(file, { text, record });
  if (seenRecords.size > SEEN_RECORDS_MAX) seenRecords.delete(seenRecords.keys().next().value!);
}

/**
 * Temp file + rename (no fsync): a reader sees the old record or the new one, never half of one.
 * The record holds the `-e` values: 0600 (the temp file is made in the 0700 directory).
 */
export function writeRecord(root: string, record: ContainerRecord): void {
  const { dir, record: file } = containerPaths(root, record.id);
  if (!existsSync(dir)) throw new StevedoreError('NOT_FOUND', `no such container: ${record.name}`);
  const text = `${JSON.stringify(record, null, 2)}\n`;
  writeFileAtomic(file, text, { durable: false });
  chmodSync(file, PRIVATE_FILE_MODE);
  // What a reader gets of that text: the record's own fields, as JSON keeps them.
  remember(file, text, JSON.parse(text) as ContainerRecord);
}
