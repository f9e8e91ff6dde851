import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../core/engine.js';
import { containerPaths, readRecord } from '../core/runtime/containerRecord.js';
import { NativeRuntime } from '../core/runtime/nativeRuntime.js';
import { RUNC_ROOT } from '../core/runtime/runc.js';
import { keepCommandShells } from '../core/system/commandShell.js';
import { cliPath, projectRoot } from '../testkit/cli.js';
import { loadBoxImage } from '../testkit/containerImages.js';
import { type Daemon, startDaemon } from '../testkit/daemon.js';
import { type Benchmark, type BenchmarkResult, checkRatio, formatMs, ratioInfo, type TargetCheck } from './benchmark.js';
import { CleanUpGuard } from './support/cleanUpGuard.js';
import {
  commandLine,
  deleteRuncLeftovers,
  formatMemory,
  isAlive,
  type Launched,
  launchAll,
  makeRuncBundle,
  meanMemory,
  PodmanSandbox,
  type ProcessMemory,
  processesMentioning,
  processMemory,
  sleepSync,
  unmountUnder,
} from './support/containerPeers.js';
import { makeOwnSpecBundle } from './support/ownSpecBundle.js';
import { RootlessPeers } from './support/rootlessPeers.js';
import { type Contender, runProgram, type Timing, timeInterleaved, timingOf } from './timing.js';

const IMAGE = 'box:v1';
const WARMUPS = 2;
const REPEATS = 21;
/** Containers started at once, whose supervisors are then weighed. */
const AT_ONCE = 20;
const PODMAN_TARGET = 0.5;
/** Issue 19's row: with no network on either side, what is left is start-up and the run itself. */
const PODMAN_NONE_TARGET = 0.4;
/** Rootless against rootless podman (issue 14). */
const ROOTLESS_PODMAN_TARGET = 0.6;
const RUNC_TARGET = 2.0;
/** What podman needs on this machine: it would raise the rlimits otherwise, which the sandbox refuses. */
const PODMAN_RUN_FLAGS = ['--runtime', 'runc', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
const HEX64 = /^[0-9a-f]{64}$/;
/** The floor: a plain script, node built-ins only, doing only what a run of an image's container cannot skip. */
const MINIMAL_RUN = join(projectRoot, 'bench', 'support', 'minimalRun.cjs');
/**
 * Another build's CLI (its dist/cli.cjs) timed beside this one in the same run, on the same store:
 * a change's before and after compared under the same load, which a shared machine never repeats.
 */
const COMPARE_CLI = process.env.STEVEDORE_BENCH_COMPARE_CLI;

const LABEL = {
  cliBridge: 'stevedore run --rm (CLI, bridge: the default)',
  cliNone: 'stevedore run --rm --network none (CLI)',
  daemonBridge: 'stevedore run --rm (CLI, through stevedore daemon: the app open)',
  podmanDefault: 'podman run --rm (default network)',
  podmanNone: 'podman run --rm --network none',
  runc: 'runc run (bare bundle)',
  runcOwnSpec: 'runc run (bare, on the engine’s own spec: seccomp, masked paths)',
  engineBridge: 'engine.runAttached in-process (bridge)',
  engineNone: 'engine.runAttached in-process (network none)',
  nodeFloor: 'stevedore --version (CLI start-up alone)',
  nodeBare: 'node -e 0 (Node starting, nothing else)',
  minimalRun: 'a minimal Node run --rm (the floor: bench/support/minimalRun.cjs)',
  rootlessNone: 'rootless stevedore run --rm --network none (normal user; through the engine its first command left)',
  rootlessAloneNone: 'rootless stevedore run --rm --network none (normal user, STEVEDORE_NO_DAEMON=1: no engine)',
  rootlessServedNone: 'rootless stevedore run --rm --network none (through the user’s stevedore daemon)',
  rootlessPodmanNone: 'rootless podman run --rm --network none (normal user)',
  compareBridge: 'the other CLI: run --rm (bridge)',
  compareNone: 'the other CLI: run --rm --network none',
} as const;

/**
 * Containers: `run --rm IMAGE true` against podman and bare runc on the same busybox image, the
 * engine's own cost measured in-process (what the app pays), the memory conmon takes per running
 * container, and 20 `run -d` started at once. Everything started is removed, even on failure.
 */
export const runtimeBenchmark: Benchmark = {
  name: 'runtime',
  title: `runtime: run --rm ${IMAGE} true vs podman and bare runc; conmon memory; ${AT_ONCE} × run -d at once`,
  async run(workDir, log) {
    const root = join(workDir, 'store');
    // The CLI's code cache of its own: the launcher removes the caches of other builds of the
    // bundle, which another build run on this machine meanwhile (a rebuild, a test) would do to it.
    const cliEnv = (cache: string) => ({ ...process.env, XDG_CACHE_HOME: join(workDir, cache) });
    const stevedore = (args: string[]) => runProgram(process.execPath, [cliPath, '--root', root, ...args], cliEnv('cli-cache'));
    const other = (args: string[]) =>
      runProgram(process.execPath, [COMPARE_CLI!, '--root', root, ...args], cliEnv('compare-cache'));
    const podman = new PodmanSandbox(join(workDir, 'podman'));
    const runcState = join(workDir, 'runc-state');
    const bundle = join(workDir, 'runc-bundle');

    let rootless: RootlessPeers | undefined;
    let daemon: Daemon | undefined;
    const rootlessSkipped = RootlessPeers.unavailable();
    const guard = new CleanUpGuard(() => {
      const problems = [...removeStevedoreContainers(root), ...podman.cleanUp(), ...(rootless?.cleanUp() ?? [])];
      const runcLeft = deleteRuncLeftovers(runcState);
      if (runcLeft.length > 0) problems.push(`bare runc containers left: ${runcLeft.join(', ')}`);
      return [...problems, ...unmountUnder(workDir)];
    }, log);

    let result: BenchmarkResult;
    try {
      await loadBoxImage(root, workDir);
      stevedore(['unpack', IMAGE, join(bundle, 'rootfs')]);
      makeRuncBundle(bundle, ['true']);
      const podmanImage = podman.pullLayout(join(workDir, 'box-layout'), 'v1');
      const podmanNetwork = podman.describeDefaultNetwork();
      log(`default networks: podman ${podmanNetwork}; stevedore bridge stevedore0 (a veth pair and a netns per container)`);
      if (rootlessSkipped) log(`rootless rows skipped: ${rootlessSkipped}`);
      else {
        rootless = await RootlessPeers.prepare((archive) => stevedore(['save', IMAGE, '-o', archive]));
        log(`rootless (as the normal user): ${rootless.runtimeLine()}`);
      }

      // The same CLI on a store an engine serves (`stevedore daemon`, as when the app is open): a
      // foreground run goes through that engine. A store of its own, so that the other rows stay daemonless.
      const servedRoot = join(workDir, 'served-store');
      await loadBoxImage(servedRoot, join(workDir, 'served'));
      daemon = await startDaemon(servedRoot);
      const throughDaemon = (args: string[]) =>
        runProgram(process.execPath, [cliPath, '--root', servedRoot, ...args], cliEnv('cli-cache'));

      // Part 1 and 2: one short-lived container, every contender on the same image, interleaved.
      // As the app's engine and a daemon run: their short commands (mount, ip, nft) go through
      // long-lived shells rather than a fork of this process each (core/system/commandShell.ts).
      keepCommandShells();
      const engine = new Engine(root, { cli: [process.execPath, cliPath] });
      const ownSpec = join(workDir, 'runc-own-spec');
      if (!(engine.runtime instanceof NativeRuntime))
        throw new Error('the runtime bench needs the native runtime (root on Linux)');
      await makeOwnSpecBundle(engine.runtime.containers, IMAGE, ['true'], join(bundle, 'rootfs'), ownSpec);
      const inProcess = (network: 'bridge' | 'none') => async () => {
        const code = await engine.runAttached({ image: IMAGE, command: ['true'], autoRemove: true, network });
        if (code !== 0) throw new Error(`engine.runAttached (${network}) exited with ${code}`);
      };
      let runcSerial = 0;
      const contenders: Contender[] = [
        { label: LABEL.cliBridge, run: () => void stevedore(['run', '--rm', IMAGE, 'true']) },
        { label: LABEL.cliNone, run: () => void stevedore(['run', '--rm', '--network', 'none', IMAGE, 'true']) },
        { label: LABEL.daemonBridge, run: () => void throughDaemon(['run', '--rm', IMAGE, 'true']) },
        { label: LABEL.podmanDefault, run: () => void podman.run(['run', '--rm', ...PODMAN_RUN_FLAGS, podmanImage, 'true']) },
        {
          label: LABEL.podmanNone,
          run: () => void podman.run(['run', '--rm', '--network', 'none', ...PODMAN_RUN_FLAGS, podmanImage, 'true']),
        },
        {
          label: LABEL.runc,
          run: () =>
            void runProgram('runc', ['--root', runcState, 'run', '--bundle', bundle, `bench-${process.pid}-${++runcSerial}`]),
        },
        {
          label: LABEL.runcOwnSpec,
          run: () =>
            void runProgram('runc', ['--root', runcState, 'run', '--bundle', ownSpec, `bench-${process.pid}-${++runcSerial}`]),
        },
        { label: LABEL.engineBridge, run: inProcess('bridge') },
        { label: LABEL.engineNone, run: inProcess('none') },
        { label: LABEL.nodeFloor, run: () => void stevedore(['--version']) },
        { label: LABEL.nodeBare, run: () => void runProgram(process.execPath, ['-e', '0']) },
        {
          label: LABEL.minimalRun,
          run: () => void runProgram(process.execPath, [MINIMAL_RUN, bundle, runcState, `floor-${process.pid}-${++runcSerial}`]),
        },
        ...(COMPARE_CLI
          ? [
              { label: LABEL.compareBridge, run: () => void other(['run', '--rm', IMAGE, 'true']) },
              { label: LABEL.compareNone, run: () => void other(['run', '--rm', '--network', 'none', IMAGE, 'true']) },
            ]
          : []),
        ...(rootless
          ? rootless.contenders(
              {
                stevedore: LABEL.rootlessNone,
                alone: LABEL.rootlessAloneNone,
                served: LABEL.rootlessServedNone,
                podman: LABEL.rootlessPodmanNone,
              },
              IMAGE,
              PODMAN_RUN_FLAGS,
            )
          : []),
      ];
      const timed = await timeInterleaved(contenders, { warmups: WARMUPS, repeats: REPEATS });
      const t = (label: string) => timed.get(label)!;
      const width = Math.max(...Object.values(LABEL).map((l) => l.length));
      log(`run --rm ${IMAGE} true: medians of ${REPEATS} after ${WARMUPS} warm-ups (best run)`);
      for (const label of Object.values(LABEL)) {
        if (!timed.has(label)) continue;
        log(`  ${label.padEnd(width)}  ${formatMs(t(label).medianMs).padStart(6)} (${formatMs(t(label).bestMs)})`);
      }
      if (COMPARE_CLI) {
        log(`  the other CLI is ${COMPARE_CLI}; this CLI / the other, medians:`);
        for (const [mine, theirs] of [
          [LABEL.cliBridge, LABEL.compareBridge],
          [LABEL.cliNone, LABEL.compareNone],
        ] as const) {
          log(`    ${mine}: ${(t(mine).medianMs / t(theirs).medianMs).toFixed(2)}`);
        }
      }
      const bridgeCost = t(LABEL.engineBridge).medianMs - t(LABEL.engineNone).medianMs;
      log(`  the bridge network costs stevedore ${formatMs(bridgeCost)} a run (in-process medians, bridge − none)`);
      // Where the CLI's time goes beyond the engine's own work: its start-up, then loading and first
      // running the run's code, which the in-process engine has done before its first timed run.
      const cliOverhead = t(LABEL.cliNone).medianMs - t(LABEL.engineNone).medianMs;
      const startUp = t(LABEL.nodeFloor).medianMs;
      log(
        `  the CLI costs ${formatMs(cliOverhead)} a run over the engine in-process (--network none medians): start-up ${formatMs(startUp)}, then ${formatMs(cliOverhead - startUp)} loading and first running the run's code`,
      );
      // The floor of any CLI written for Node: the least a Node script can do to run the image's
      // container and remove it (minimalRun.cjs), against podman and against bare runc; and, below
      // it, Node starting plus runc running a bundle that is already there (no writable layer: not a
      // run --rm of an image). Where the floor is above a CLI row's target, no Node CLI meets it.
      const floor = t(LABEL.minimalRun);
      const summedMs = t(LABEL.nodeBare).medianMs + t(LABEL.runc).medianMs;
      const floorLines = [
        `info (no target): the floor of a Node CLI, a minimal Node run --rm / podman run --rm --network none: ${ratioInfo(floor, t(LABEL.podmanNone))}; node -e 0 + bare runc run alone (${formatMs(t(LABEL.nodeBare).medianMs)} + ${formatMs(t(LABEL.runc).medianMs)}): ${(summedMs / t(LABEL.podmanNone).medianMs).toFixed(2)}`,
        `info (no target): the floor of a Node CLI, a minimal Node run --rm / bare runc run: ${ratioInfo(floor, t(LABEL.runc))}`,
        `info (no target): stevedore CLI / the floor (--network none): ${ratioInfo(t(LABEL.cliNone), floor)}`,
        // runc's own work on the spec the engine writes (its seccomp profile above all), which bare
        // runc's `runc spec` config does not ask: what is left of an in-process row is the engine's.
        `info (no target): the floor of the in-process rows, bare runc on the engine's own spec / bare runc: ${ratioInfo(t(LABEL.runcOwnSpec), t(LABEL.runc))}; in-process (bridge) / that: ${ratioInfo(t(LABEL.engineBridge), t(LABEL.runcOwnSpec))}; in-process (network none) / that: ${ratioInfo(t(LABEL.engineNone), t(LABEL.runcOwnSpec))}`,
      ];
      for (const line of floorLines) log(`  ${line}`);

      const left = existsSync(join(root, 'containers')) ? readdirSync(join(root, 'containers')).filter((n) => HEX64.test(n)) : [];
      const podmanLeft = podman.run(['ps', '-aq']).trim();
      const leaks = [
        ...(left.length > 0 ? [`stevedore run --rm left ${left.length} container(s) behind in the store`] : []),
        ...(podmanLeft ? [`podman run --rm left ${podmanLeft.split('\n').length} container(s) behind`] : []),
      ];
      for (const leak of leaks) log(`ODD: ${leak}`);

      const checks: TargetCheck[] = [
        checkRatio(
          'run --rm true, stevedore CLI / podman, default networks',
          t(LABEL.cliBridge),
          t(LABEL.podmanDefault),
          PODMAN_TARGET,
        ),
        checkRatio(
          'run --rm true, stevedore CLI through a running engine (the app, stevedore daemon) / podman, default networks',
          t(LABEL.daemonBridge),
          t(LABEL.podmanDefault),
          PODMAN_TARGET,
        ),
        checkRatio(
          'run --rm true, stevedore CLI / podman, both --network none',
          t(LABEL.cliNone),
          t(LABEL.podmanNone),
          PODMAN_NONE_TARGET,
        ),
        checkRatio('run true, stevedore CLI (bridge) / bare runc', t(LABEL.cliBridge), t(LABEL.runc), RUNC_TARGET),
        checkRatio('run true, stevedore CLI (network none) / bare runc', t(LABEL.cliNone), t(LABEL.runc), RUNC_TARGET),
        checkRatio('run true, engine in-process (bridge) / bare runc', t(LABEL.engineBridge), t(LABEL.runc), RUNC_TARGET),
        checkRatio('run true, engine in-process (network none) / bare runc', t(LABEL.engineNone), t(LABEL.runc), RUNC_TARGET),
      ];
      if (rootless) {
        checks.push(
          checkRatio(
            'rootless run --rm true, stevedore CLI (through the engine its first command left running) / rootless podman, both --network none',
            t(LABEL.rootlessNone),
            t(LABEL.rootlessPodmanNone),
            ROOTLESS_PODMAN_TARGET,
          ),
          checkRatio(
            'rootless run --rm true, stevedore CLI through the user’s running engine (the app, stevedore daemon) / rootless podman, both --network none',
            t(LABEL.rootlessServedNone),
            t(LABEL.rootlessPodmanNone),
            ROOTLESS_PODMAN_TARGET,
          ),
        );
        const alone = t(LABEL.rootlessAloneNone).medianMs;
        log(
          `info (no target): rootless, each command entering the namespace itself (STEVEDORE_NO_DAEMON=1, as the first command of a session) / rootless podman: ${(alone / t(LABEL.rootlessPodmanNone).medianMs).toFixed(2)} (${formatMs(alone)})`,
        );
        const vsNative = t(LABEL.rootlessNone).medianMs / t(LABEL.cliNone).medianMs;
        log(
          `  rootless / native (both CLI, --network none): ${vsNative.toFixed(2)} (${formatMs(t(LABEL.rootlessNone).medianMs)} vs ${formatMs(t(LABEL.cliNone).medianMs)})`,
        );
      }

      // Part 4: AT_ONCE CLI processes `run -d` at the same moment; each returns once its container runs.
      const launches = await launchAll(
        Array.from({ length: AT_ONCE }, () => [process.execPath, cliPath, '--root', root, 'run', '-d', IMAGE, 'sleep', '600']),
      );
      const atOnce = launchSpread(launches);
      const ids = launches.map((l) => l.stdout.trim()).filter((id) => HEX64.test(id));
      const notStarted = checkAllRunning(root, launches, JSON.parse(stevedore(['ps', '--json'])) as PsRow[]);
      if (notStarted.length > 0) {
        throw new Error(
          `${notStarted.length} of ${AT_ONCE} containers started at once did not reach running:\n  ${notStarted.join('\n  ')}`,
        );
      }
      log(
        `${AT_ONCE} × stevedore run -d at once: all running after ${formatMs(atOnce.lastMs)} (first returned after ${formatMs(atOnce.firstMs)}, median ${formatMs(atOnce.medianMs)}); ps --json: ${AT_ONCE} running, each pid alive`,
      );

      // Part 3: what each of those containers costs in supervisor memory (conmon; nothing of Node's stays).
      const conmonPids = ids.map((id) => Number(readFileSync(containerPaths(root, id).conmonPidFile, 'utf8')));
      const ours = weighConmons(conmonPids);
      const strays = processesMentioning(root).filter((pid) => !conmonPids.includes(pid));
      log(`conmon per running container (mean over those ${AT_ONCE}): ${formatMemory(ours)}`);
      log(
        `other processes naming the store while they run: ${strays.length === 0 ? 'none' : strays.map(commandLine).join('; ')}`,
      );

      // podman, the same way, for comparison: its own conmon per container.
      const notes: string[] = [...leaks, ...floorLines];
      const podmanLaunches = await launchAll(
        Array.from({ length: AT_ONCE }, () => podman.argv(['run', '-d', ...PODMAN_RUN_FLAGS, podmanImage, 'sleep', '600'])),
      );
      const podmanAtOnce = launchSpread(podmanLaunches);
      const podmanFailed = podmanLaunches.filter((l) => l.code !== 0);
      const podmanIds = podmanLaunches.map((l) => l.stdout.trim()).filter((id) => HEX64.test(id));
      let theirs: ProcessMemory | undefined;
      if (podmanFailed.length > 0) {
        notes.push(`podman: ${podmanFailed.length} of ${AT_ONCE} run -d failed: ${podmanFailed[0]!.stderr.trim()}`);
      } else {
        const pids = podman
          .run(['inspect', '--format', '{{.State.ConmonPid}}', ...podmanIds])
          .trim()
          .split('\n')
          .map(Number);
        theirs = weighConmons(pids);
        log(`${AT_ONCE} × podman run -d at once: all returned after ${formatMs(podmanAtOnce.lastMs)}`);
        log(`podman's conmon per running container (mean of ${AT_ONCE}): ${formatMemory(theirs)}`);
      }

      notes.push(
        `medians of ${REPEATS} after ${WARMUPS} warm-ups, contenders interleaved; runc: runc spec's config with args [true], no rlimits, no terminal, fresh id per run`,
        `default networks: stevedore bridge (stevedore0 + veth + netns), podman ${podmanNetwork}; bare runc has an empty network namespace, like --network none`,
        `CLI start-up alone (stevedore --version) ${formatMs(t(LABEL.nodeFloor).medianMs)}; bridge network ${formatMs(bridgeCost)} a run in-process`,
        `${AT_ONCE} × run -d at once: stevedore ${formatMs(atOnce.lastMs)} until all running, podman ${formatMs(podmanAtOnce.lastMs)}`,
        `conmon per container: stevedore ${formatMemory(ours)}${theirs ? `; podman ${formatMemory(theirs)}` : ''}`,
        rootless
          ? `rootless rows: the suite's normal user, each CLI in its own store; rootless / native (CLI, --network none) ${(t(LABEL.rootlessNone).medianMs / t(LABEL.cliNone).medianMs).toFixed(2)}`
          : `rootless rows skipped: ${rootlessSkipped}`,
      );
      const timings: Record<string, Timing> = Object.fromEntries(timed);
      timings[`stevedore: ${AT_ONCE} × run -d at once, until all running`] = timingOf([atOnce.lastMs]);
      timings[`podman: ${AT_ONCE} × run -d at once, until all returned`] = timingOf([podmanAtOnce.lastMs]);

      result = { name: this.name, timings, checks, notes };
    } finally {
      await daemon?.stop();
      await rootless?.stopEngine();
      guard.release();
    }
    guard.throwIfLeft();
    return result;
  },
};

interface PsRow {
  id: string;
  state: string;
}

/** When the processes launched together ended, from the launch. */
function launchSpread(launches: Launched[]): { firstMs: number; medianMs: number; lastMs: number } {
  const ends = launches.map((l) => l.endedAfterMs).sort((a, b) => a - b);
  return { firstMs: ends[0]!, medianMs: timingOf(ends).medianMs, lastMs: ends[ends.length - 1]! };
}

/** Every launch printed an ID, ps lists it running, and its recorded pid is a live `sleep`; returns what is wrong. */
function checkAllRunning(root: string, launches: Launched[], ps: PsRow[]): string[] {
  const wrong: string[] = [];
  for (const launch of launches) {
    const id = launch.stdout.trim();
    if (launch.code !== 0 || !HEX64.test(id)) {
      wrong.push(`run -d exited ${launch.code}: ${launch.stderr.trim() || launch.stdout.trim() || 'no output'}`);
      continue;
    }
    const row = ps.find((r) => r.id === id);
    if (row?.state !== 'running') {
      wrong.push(`${id.slice(0, 12)}: ps says ${row ? row.state : 'nothing'}`);
      continue;
    }
    const pid = readRecord(containerPaths(root, id).record).state.pid;
    if (pid === null || !isAlive(pid) || !commandLine(pid).startsWith('sleep')) {
      wrong.push(
        `${id.slice(0, 12)}: its pid ${pid} is not a live sleep (${pid ? commandLine(pid) || 'gone' : 'none recorded'})`,
      );
    }
  }
  const running = ps.filter((r) => r.state === 'running').length;
  if (running !== launches.length) wrong.push(`ps --json shows ${running} running, not ${launches.length}`);
  return wrong;
}

function weighConmons(pids: number[]): ProcessMemory {
  for (const pid of pids) {
    if (!isAlive(pid) || !commandLine(pid).includes('conmon')) throw new Error(`pid ${pid} is not a live conmon`);
  }
  return meanMemory(pids.map(processMemory));
}

/**
 * `rm -f` of every container in the store, then a wait for conmon and the cleanup it runs to be
 * gone (a cleanup still running would write into the store after it is deleted). What will not go
 * is killed through runc and by pid: only processes this benchmark started name its store.
 */
function removeStevedoreContainers(root: string): string[] {
  const dir = join(root, 'containers');
  const ids = existsSync(dir) ? readdirSync(dir).filter((n) => HEX64.test(n)) : [];
  const problems: string[] = [];
  if (ids.length > 0) {
    const rm = spawnSync(process.execPath, [cliPath, '--root', root, 'rm', '--force', ...ids], { encoding: 'utf8' });
    if (rm.status !== 0) problems.push(`stevedore rm -f: ${rm.stderr.trim() || rm.error?.message}`);
  }
  const deadline = Date.now() + 15_000;
  while (processesMentioning(root).length > 0 && Date.now() < deadline) sleepSync(100);
  const stuck = processesMentioning(root);
  if (stuck.length > 0) {
    problems.push(`processes still running after rm -f: ${stuck.map(commandLine).join('; ')}`);
    for (const id of ids) {
      spawnSync('runc', ['--root', RUNC_ROOT, 'kill', id, 'KILL'], { stdio: 'ignore' });
      spawnSync('runc', ['--root', RUNC_ROOT, 'delete', '--force', id], { stdio: 'ignore' });
    }
    for (const pid of stuck) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  const remaining = existsSync(dir) ? readdirSync(dir).filter((n) => HEX64.test(n)) : [];
  if (remaining.length > 0 && ids.length > 0) problems.push(`${remaining.length} container(s) still in the store after rm -f`);
  return problems;
}
