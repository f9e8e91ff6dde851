import { z } from 'zod';
import { buildDetail, buildRequest, buildSummary } from './builds.schema.js';
import { containerChange, containerDirectory } from './containerFiles.schema.js';
import { containerDetail, containerSummary, logChunk, runRequest, startedContainer } from './containers.schema.js';
import { dag } from './dag.schema.js';
import { imageDetail, imageSummary, imageUse, loadResult, pruneResult, removeResult } from './images.schema.js';
import { imageComparison, imageDiff, layerTree } from './layers.schema.js';
import { networkCreateRequest, networkPruneResult, networkSummary } from './networks.schema.js';
import { catalog, loginResult, pullResult, pushResult, registryInfo, tagList, transferSummary } from './registry.schema.js';
import { runtimeStatus } from './runtime.schema.js';
import { containerStats } from './stats.schema.js';
import { diskUsage, engineInfo, fsckReport, gcReport } from './store.schema.js';
import { volumeCreateRequest, volumePruneResult, volumeSummary } from './volumes.schema.js';

/**
 * The API contract: every call a face (window, browser, CLI) can make, with the schema of its
 * arguments and of its result. The router validates arguments against it; transports carry
 * `invoke(method, args)` generically, so adding a method touches no transport.
 */
/** `stop` and `restart`: the grace period in seconds (-1: as long as it takes) and the signal, where given. */
const stopArgs = () =>
  z.object({ id: z.string().min(1), timeout: z.number().int().min(-1).optional(), signal: z.string().min(1).optional() });

const definitions = {
  'engine.info': () => ({ args: z.object({}), result: engineInfo }),
  'images.list': () => ({ args: z.object({}), result: z.array(imageSummary) }),
  'images.inspect': () => ({ args: z.object({ ref: z.string().min(1) }), result: imageDetail }),
  'images.tag': () => ({
    args: z.object({ source: z.string().min(1), target: z.string().min(1) }),
    result: z.object({ reference: z.string() }),
  }),
  'images.remove': () => ({
    args: z.object({ refs: z.array(z.string().min(1)).min(1), force: z.boolean().optional() }),
    result: removeResult,
  }),
  /** The images containers stand on (running or not): `images.remove` refuses those. */
  'images.inUse': () => ({ args: z.object({}), result: z.array(imageUse) }),
  /** Dangling images (with `all`: every image no container uses), then the garbage; `dryRun` only says. */
  'images.prune': () => ({
    args: z.object({ all: z.boolean().optional(), dryRun: z.boolean().optional() }),
    result: pruneResult,
  }),
  /** A path on the engine's machine; progress comes as `transfer.progress` under `transferId` (chosen by the caller, or made up). */
  'images.load': () => ({
    args: z.object({
      path: z.string().min(1),
      name: z.string().min(1).optional(),
      transferId: z.string().min(1).max(100).optional(),
    }),
    result: loadResult,
  }),
  'images.save': () => ({
    args: z.object({ refs: z.array(z.string().min(1)).min(1), output: z.string().min(1) }),
    result: z.object({ output: z.string() }),
  }),
  'images.dag': () => ({ args: z.object({ ref: z.string().min(1).optional() }), result: dag }),
  /** With `summary`, each layer's `changes` list is left empty: counts and efficiency only. */
  'images.diff': () => ({ args: z.object({ ref: z.string().min(1), summary: z.boolean().optional() }), result: imageDiff }),
  'images.layerTree': () => ({
    args: z.object({ ref: z.string().min(1), layer: z.number().int().min(0), scope: z.enum(['layer', 'aggregate']) }),
    result: layerTree,
  }),
  'images.compare': () => ({ args: z.object({ left: z.string().min(1), right: z.string().min(1) }), result: imageComparison }),
  /** docker's SIZE and SHARED SIZE of each image: its layers unpacked (null when one cannot be read), and the part other images stand on too. */
  'images.sizes': () => ({
    args: z.object({}),
    result: z.array(z.object({ id: z.string(), size: z.number().nullable(), sharedSize: z.number().nullable() })),
  }),
  /** `stevedore unpack`: the image's root filesystem written into `dir` (absolute, on the engine's machine); notes on what was skipped. */
  'images.unpack': () => ({
    args: z.object({
      ref: z.string().min(1),
      dir: z.string().startsWith('/', 'the directory must be an absolute path'),
      maxBytes: z.number().int().positive().optional(),
    }),
    result: z.object({ notes: z.array(z.string()) }),
  }),
  // Registries (distribution spec). A pull or push returns when done; meanwhile it emits
  // `transfer.progress` per blob and `transfer.ended`; pass a transferId to cancel it before its first event.
  'images.pull': () => ({
    args: z.object({
      ref: z.string().min(1),
      platform: z.string().min(1).optional(),
      allPlatforms: z.boolean().optional(),
      insecure: z.boolean().optional(),
      transferId: z.string().min(1).max(100).optional(),
    }),
    result: pullResult,
  }),
  'images.push': () => ({
    args: z.object({
      ref: z.string().min(1),
      /** Where to push (default: the image's own name, `ref`). */
      target: z.string().min(1).optional(),
      insecure: z.boolean().optional(),
      transferId: z.string().min(1).max(100).optional(),
    }),
    result: pushResult,
  }),
  'transfers.list': () => ({ args: z.object({}), result: z.array(transferSummary) }),
  'transfers.cancel': () => ({
    args: z.object({ transferId: z.string().min(1) }),
    result: z.object({ transferId: z.string(), cancelled: z.boolean() }),
  }),
  'registry.login': () => ({
    args: z.object({
      registry: z.string().min(1),
      username: z.string().min(1),
      password: z.string().min(1),
      insecure: z.boolean().optional(),
    }),
    result: loginResult,
  }),
  'registry.logout': () => ({
    args: z.object({ registry: z.string().min(1) }),
    result: z.object({ registry: z.string(), removed: z.boolean() }),
  }),
  'registry.tags': () => ({
    args: z.object({ repository: z.string().min(1), insecure: z.boolean().optional() }),
    result: tagList,
  }),
  'registry.catalog': () => ({
    args: z.object({
      registry: z.string().min(1),
      insecure: z.boolean().optional(),
      limit: z.number().int().positive().optional(),
    }),
    result: catalog,
  }),
  'registry.list': () => ({ args: z.object({}), result: z.array(registryInfo) }),
  'registry.add': () => ({
    args: z.object({
      registry: z.string().min(1),
      insecure: z.boolean().optional(),
      caPem: z
        .string()
        .min(1)
        .max(1 << 20)
        .optional(),
    }),
    result: registryInfo,
  }),
  'registry.remove': () => ({
    args: z.object({ registry: z.string().min(1) }),
    result: z.object({ registry: z.string(), removed: z.boolean() }),
  }),
  // Containers. `containers.run` starts the container detached and returns it; its state
  // changes arrive as `containers.changed` events.
  'containers.list': () => ({ args: z.object({ all: z.boolean().optional() }), result: z.array(containerSummary) }),
  'containers.inspect': () => ({ args: z.object({ id: z.string().min(1) }), result: containerDetail }),
  'containers.run': () => ({ args: runRequest, result: startedContainer }),
  /** docker create: the container made from the request, not started. */
  'containers.create': () => ({ args: runRequest, result: containerSummary }),
  'containers.start': () => ({ args: z.object({ id: z.string().min(1) }), result: containerSummary }),
  /**
   * Sends `signal` (default: its stop signal), waits up to `timeout` seconds (default: its
   * --stop-timeout, else 10; -1: as long as it takes), then SIGKILL.
   */
  'containers.stop': () => ({
    args: stopArgs(),
    result: containerSummary,
  }),
  'containers.restart': () => ({
    args: stopArgs(),
    result: containerSummary,
  }),
  'containers.kill': () => ({
    args: z.object({ id: z.string().min(1), signal: z.string().min(1).optional() }),
    result: containerSummary,
  }),
  /** `volumes`: its anonymous volumes go too (docker rm -v). */
  'containers.remove': () => ({
    args: z.object({ id: z.string().min(1), force: z.boolean().optional(), volumes: z.boolean().optional() }),
    result: z.object({ id: z.string() }),
  }),
  /** Freezes every process of a running container (the cgroup freezer); `unpause` thaws them. */
  'containers.pause': () => ({ args: z.object({ id: z.string().min(1) }), result: containerSummary }),
  'containers.unpause': () => ({ args: z.object({ id: z.string().min(1) }), result: containerSummary }),
  /** One directory of a container's root filesystem (volumes aside), confined to it; the app's Files tab. */
  'containers.files': () => ({
    args: z.object({ id: z.string().min(1), path: z.string().min(1).max(4096) }),
    result: containerDirectory,
  }),
  /** `docker diff`: A, C and D against the image, sorted by path. */
  'containers.diff': () => ({ args: z.object({ id: z.string().min(1) }), result: z.array(containerChange) }),
  /** docker rename: the new name must be free; a running container keeps running. */
  'containers.rename': () => ({ args: z.object({ id: z.string().min(1), name: z.string().min(1) }), result: z.object({}) }),
  /**
   * docker commit: an image of the container's changes over its image, one layer more, named with
   * `reference` or left untagged; `changes` are Dockerfile instructions for its config.
   */
  'containers.commit': () => ({
    args: z.object({
      id: z.string().min(1),
      reference: z.string().min(1).optional(),
      changes: z.array(z.string()).max(64).optional(),
      message: z.string().optional(),
      author: z.string().optional(),
    }),
    result: z.object({ id: z.string() }),
  }),
  /** docker top: ps's titles and the container's rows; `psOptions` passed to ps (default -f). */
  'containers.top': () => ({
    args: z.object({ id: z.string().min(1), psOptions: z.array(z.string()).max(64).optional() }),
    result: z.object({ titles: z.array(z.string()), processes: z.array(z.array(z.string())) }),
  }),
  /** A regular file of the container, whole and base64 (up to 32 MiB), for the app's download. */
  'containers.readFile': () => ({
    args: z.object({ id: z.string().min(1), path: z.string().min(1).max(4096) }),
    result: z.object({ name: z.string(), size: z.number().int(), base64: z.string() }),
  }),
  /** CPU, memory, network and block I/O of containers, measured together over about a second (a stopped one: zeros). */
  'containers.stats': () => ({ args: z.object({ ids: z.array(z.string().min(1)).min(1) }), result: z.array(containerStats) }),
  /** The bytes each container wrote (its directory here: upper layer, log, record; none where a machine runs them). */
  'containers.diskUsage': () => ({ args: z.object({}), result: z.array(z.object({ id: z.string(), bytes: z.number() })) }),
  // Volumes, kept by the engine where its containers run (a machine's in its guest).
  'volumes.list': () => ({ args: z.object({}), result: z.array(volumeSummary) }),
  'volumes.inspect': () => ({ args: z.object({ name: z.string().min(1) }), result: volumeSummary }),
  'volumes.create': () => ({ args: volumeCreateRequest, result: volumeSummary }),
  /** Refused while a container (running or not) uses it; `force` makes a missing one no error. */
  'volumes.remove': () => ({
    args: z.object({ name: z.string().min(1), force: z.boolean().optional() }),
    result: z.object({ name: z.string() }),
  }),
  /** Unused anonymous volumes; with `all`, every unused volume (docker volume prune [-a]). */
  'volumes.prune': () => ({ args: z.object({ all: z.boolean().optional() }), result: volumePruneResult }),
  /** The bytes in each volume's directory (`system df`). */
  'volumes.diskUsage': () => ({ args: z.object({}), result: z.array(z.object({ name: z.string(), bytes: z.number() })) }),
  // User-defined networks (bridge, host and none are listed too), where the containers run.
  'networks.list': () => ({ args: z.object({}), result: z.array(networkSummary) }),
  'networks.inspect': () => ({ args: z.object({ ref: z.string().min(1) }), result: networkSummary }),
  'networks.create': () => ({ args: networkCreateRequest, result: networkSummary }),
  /** Refused while a container (running or not) names it. */
  'networks.remove': () => ({ args: z.object({ ref: z.string().min(1) }), result: z.object({ name: z.string() }) }),
  'networks.prune': () => ({ args: z.object({}), result: networkPruneResult }),
  /** A stopped container joins a user network (it is on one at a time), or leaves its network for none. */
  'networks.connect': () => ({
    args: z.object({ network: z.string().min(1), container: z.string().min(1), aliases: z.array(z.string().min(1)).optional() }),
    result: z.object({}),
  }),
  'networks.disconnect': () => ({
    args: z.object({ network: z.string().min(1), container: z.string().min(1) }),
    result: z.object({}),
  }),
  /**
   * The log from `after` (a cursor from an earlier answer; omit for the start, or use `tail` for the
   * last lines). With `follow`, waits (up to about 20 s) until there is something new or the
   * container ends: call it again with the cursor to stream.
   */
  'containers.logs': () => ({
    args: z.object({
      id: z.string().min(1),
      after: z.number().int().min(0).optional(),
      tail: z.number().int().min(0).optional(),
      follow: z.boolean().optional(),
    }),
    result: logChunk,
  }),
  /** A shell (or `command`) in the running container, on a pseudo-terminal unless `tty` is false; output comes as `terminal.output` events. */
  'containers.terminal': () => ({
    args: z.object({
      id: z.string().min(1),
      command: z.array(z.string().min(1)).min(1).optional(),
      cols: z.number().int().min(1).max(1000),
      rows: z.number().int().min(1).max(1000),
      /** Default true. Without a terminal, output events say which stream (`exec` without -t). */
      tty: z.boolean().optional(),
      env: z.array(z.string()).optional(),
      /** `exec -u`, `-w`: the user and working directory, else the container's own. */
      user: z.string().min(1).optional(),
      workdir: z.string().min(1).optional(),
    }),
    result: z.object({ sessionId: z.string() }),
  }),
  /** The runtime (native, or a machine) with its reason, and the machine's state for the app's indicator and Settings. */
  'runtime.status': () => ({ args: z.object({}), result: runtimeStatus }),
  /** Starts or stops the machine the vm runtime drives; the status afterwards. */
  'runtime.machine': () => ({ args: z.object({ action: z.enum(['start', 'stop']) }), result: runtimeStatus }),
  /**
   * `run` in the foreground for a client with no terminal here (the host's engine driving a
   * machine's agent): output as `terminal.output` events under the `sessionId` the client chose,
   * the exit code as the answer when the container ends.
   */
  'containers.runAttached': () => ({
    args: z.object({ request: runRequest, sessionId: z.string().min(8).max(64) }),
    result: z.object({ exitCode: z.number().int() }),
  }),
  /** `eof`: the session's input ends after `data` (a terminal gets its EOF character). */
  'terminal.input': () => ({
    args: z.object({ sessionId: z.string().min(1), data: z.string(), eof: z.boolean().optional() }),
    result: z.object({}),
  }),
  'terminal.resize': () => ({
    args: z.object({
      sessionId: z.string().min(1),
      cols: z.number().int().min(1).max(1000),
      rows: z.number().int().min(1).max(1000),
    }),
    result: z.object({}),
  }),
  'terminal.close': () => ({ args: z.object({ sessionId: z.string().min(1) }), result: z.object({}) }),
  // Builds. `builds.start` returns at once; steps arrive as `build.progress` and `build.output`
  // events, the end as `build.ended`. Builds are kept, with their steps and output, across restarts.
  'builds.start': () => ({ args: buildRequest, result: z.object({ buildId: z.string() }) }),
  'builds.list': () => ({ args: z.object({}), result: z.array(buildSummary) }),
  'builds.inspect': () => ({ args: z.object({ buildId: z.string().min(1) }), result: buildDetail }),
  'builds.prune': () => ({ args: z.object({}), result: z.object({ entries: z.number().int(), reclaimedBytes: z.number() }) }),
  /** Stops a running build of this engine: its step container is killed, nothing it made is kept. */
  'builds.cancel': () => ({ args: z.object({ buildId: z.string().min(1) }), result: z.object({ cancelled: z.boolean() }) }),
  'store.gc': () => ({ args: z.object({ dryRun: z.boolean().optional() }), result: gcReport }),
  'store.fsck': () => ({ args: z.object({ repair: z.boolean().optional() }), result: fsckReport }),
  'store.df': () => ({ args: z.object({}), result: diskUsage }),
};

/** Each entry's schemas, built the first time a call of that method reads them (memoized). */
export type Contract = { readonly [M in keyof typeof definitions]: ReturnType<(typeof definitions)[M]> };

/**
 * The contract's entries are built when first read: a CLI command makes one or two calls, and
 * building all the schemas (hundreds of zod objects across the *.schema.ts modules, which the CLI
 * bundle only loads when one of their exports is used) cost a quarter of every command's CPU.
 */
function lazyEntries(defs: typeof definitions): Contract {
  const entries = {} as Record<string, unknown>;
  for (const [method, define] of Object.entries(defs)) {
    Object.defineProperty(entries, method, {
      enumerable: true,
      configurable: true,
      get() {
        const value = define();
        Object.defineProperty(entries, method, { value, enumerable: true });
        return value;
      },
    });
  }
  return entries as Contract;
}

export const contract = lazyEntries(definitions);

export type Method = keyof Contract;
export type Args<M extends Method> = z.input<Contract[M]['args']>;
export type Result<M extends Method> = z.infer<Contract[M]['result']>;

export const methods = Object.keys(contract) as Method[];

export function isMethod(name: string): name is Method {
  return Object.hasOwn(contract, name);
}

/** What crosses a transport for one call: a result, or an error as code plus one sentence. */
export type InvokeResponse =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string; message: string; exitCode?: number } };
