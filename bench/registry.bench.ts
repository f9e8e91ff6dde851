import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath } from '../testkit/cli.js';
import { makeLayer } from '../testkit/layers.js';
import { layoutWithImages, randomLayers } from '../testkit/registry/fixtures.js';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry.js';
import { type Benchmark, checkRatio, formatMs, type TargetCheck } from './benchmark.js';
import { withChildCpu } from './support/childCpu.js';
import { runProgram, type Timing, timeInterleaved, timingOf } from './timing.js';

const TARGET_RATIO = 1.0;
const REPEATS = 5;
const TAG = 'bench';
const ACCEPT_ANYTHING_POLICY = { default: [{ type: 'insecureAcceptAnything' }] };

/** Clock ticks a second in /proc's times (USER_HZ). */
const TICKS_PER_SECOND = 100;
const DAEMON_LABEL = 'stevedore pull via the running engine (stevedore daemon)';

/** CPU time (user + system, ms) a running process has used so far, from /proc/PID/stat. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function blobCount(root: string): number {
  const dir = join(root, 'oci', 'blobs', 'sha256');
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

/** `stevedore --root ROOT daemon`, once it says where it listens; `stop` ends it. */
async function startDaemon(root: string): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [cliPath, '--root', root, 'daemon'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (c) => (output += c));
    child.stdout.on('data', (c) => {
      output += c;
      if (output.includes('listening on')) resolve();
    });
    void exited.then(() => reject(new Error(`stevedore daemon exited: ${output.trim()}`)));
  });
  return {
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Pull and push over a loopback docker-registry (distribution 2.8), stevedore vs skopeo on the
 * same image. Every push goes to a registry started afresh, so neither tool finds blobs already
 * there (stevedore would mount them); every pull goes into an empty destination. The stevedore
 * lines marked "standalone" run in-process (STEVEDORE_NO_DAEMON=1); pulls are also timed through
 * a running engine (`stevedore daemon`): the CLI then loads only its thin client. That engine's
 * store persists between runs (its socket lives in it), so it is emptied by `rmi` and `gc`
 * through the CLI before each run instead of being removed, and checked to hold no blob before
 * and every blob after the run. What a running engine keeps between pulls counts, as it would
 * for a person: its compiled code, its registry connections (keep-alive) and what it learnt
 * from the registry's /v2/ ping.
 */
export const registryBenchmark: Benchmark = {
  name: 'registry',
  title: 'registry: pull and push of 4 × 48 MiB layers, pull of 40 small layers, vs skopeo',
  async run(workDir, log) {
    const policy = join(workDir, 'policy.json');
    writeFileSync(policy, JSON.stringify(ACCEPT_ANYTHING_POLICY));
    const skopeo = (args: string[]) => runProgram('skopeo', ['--policy', policy, ...args]);
    // In-process, as these lines have always measured it, whatever engine runs on the machine.
    const standalone = { ...process.env, STEVEDORE_NO_DAEMON: '1' };
    const stevedore = (root: string, args: string[]) =>
      runProgram(process.execPath, [cliPath, '--root', root, ...args], standalone);
    // Through whatever engine serves the root.
    const stevedoreClient = (root: string, args: string[]) => runProgram(process.execPath, [cliPath, '--root', root, ...args]);

    const bigLayout = join(workDir, 'big');
    await layoutWithImages(bigLayout, [{ refName: TAG, layers: await randomLayers([48, 48, 48, 48].map((m) => m << 20)) }]);
    const smallLayout = join(workDir, 'small');
    const small = await Promise.all(
      Array.from({ length: 40 }, (_, i) => makeLayer([{ path: `layer${i}/data`, content: `${i}`.repeat(8000) }])),
    );
    await layoutWithImages(smallLayout, [{ refName: TAG, layers: small }]);
    const source = join(workDir, 'source-root');
    stevedore(source, ['load', '-i', bigLayout, '--name', 'bench/big']);

    let registry: RunningRegistry = await startRegistry();
    const freshRegistry = async () => {
      await registry.stop();
      registry = await startRegistry();
    };
    const checks: TargetCheck[] = [];
    const timings: Record<string, Timing> = {};
    const notes: string[] = [];
    try {
      const push = await timeInterleaved(
        [
          {
            label: 'stevedore push',
            prepare: freshRegistry,
            run: () => void stevedore(source, ['push', `bench/big:${TAG}`, `${registry.host}/bench/big:${TAG}`]),
          },
          {
            label: 'skopeo copy oci: docker://',
            prepare: freshRegistry,
            run: () =>
              void skopeo([
                'copy',
                '--quiet',
                '--dest-tls-verify=false',
                `oci:${bigLayout}:${TAG}`,
                `docker://${registry.host}/bench/big:${TAG}`,
              ]),
          },
        ],
        { warmups: 1, repeats: REPEATS },
      );
      checks.push(
        checkRatio(
          'push 4 × 48 MiB, stevedore / skopeo',
          push.get('stevedore push')!,
          push.get('skopeo copy oci: docker://')!,
          TARGET_RATIO,
        ),
      );

      await freshRegistry();
      skopeo([
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        `oci:${bigLayout}:${TAG}`,
        `docker://${registry.host}/bench/big:${TAG}`,
      ]);
      skopeo([
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        `oci:${smallLayout}:${TAG}`,
        `docker://${registry.host}/bench/small:${TAG}`,
      ]);
      const daemonRoot = join(workDir, 'pull-root-daemon');
      const daemon = await startDaemon(daemonRoot);
      try {
        for (const [name, label, blobs] of [
          ['big', 'pull 4 × 48 MiB', 4 + 2],
          ['small', 'pull of 40 small layers', 40 + 2],
        ] as const) {
          const root = join(workDir, `pull-root-${name}`);
          const dest = join(workDir, `pull-dest-${name}`);
          const ref = `${registry.host}/bench/${name}:${TAG}`;
          const cpu = new Map<string, number[]>();
          let daemonCpuBefore = 0;
          const pull = await timeInterleaved(
            [
              {
                label: 'stevedore pull',
                prepare: () => rmSync(root, { recursive: true, force: true }),
                run: () => void stevedore(root, ['pull', ref]),
              },
              {
                label: DAEMON_LABEL,
                prepare: () => {
                  const ids = stevedore(daemonRoot, ['images', '--quiet', '--no-trunc']).split('\n').filter(Boolean);
                  if (ids.length > 0) stevedore(daemonRoot, ['rmi', '--force', ...ids]);
                  stevedore(daemonRoot, ['gc']);
                  if (blobCount(daemonRoot) !== 0) throw new Error(`rmi and gc left blobs in ${daemonRoot}`);
                  daemonCpuBefore = processCpuMs(daemon.pid);
                },
                run: () => void stevedoreClient(daemonRoot, ['pull', ref]),
                cleanUp: () => {
                  // The engine's CPU, beside its client's (counted by withChildCpu).
                  const engineCpu = processCpuMs(daemon.pid) - daemonCpuBefore;
                  cpu.set(`${DAEMON_LABEL} engine`, [...(cpu.get(`${DAEMON_LABEL} engine`) ?? []), engineCpu]);
                  // Every blob was downloaded in this run: none was there before it.
                  const count = blobCount(daemonRoot);
                  if (count !== blobs) throw new Error(`the pull through the daemon left ${count} blobs, not ${blobs}`);
                },
              },
              {
                label: 'skopeo copy docker:// oci:',
                prepare: () => rmSync(dest, { recursive: true, force: true }),
                run: () => void skopeo(['copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `oci:${dest}:${TAG}`]),
              },
            ].map((c) => withChildCpu(c, cpu)),
            { warmups: 1, repeats: REPEATS },
          );
          // CPU beside wall time: on a busy machine the wall times move with the other load; the
          // CPU each tool needs, and how much of it runs at once, are what explain the ratio.
          const cpuOf = (l: string) => formatMs(timingOf(cpu.get(l)!.slice(1)).medianMs);
          const clientAndEngine = cpu.get(DAEMON_LABEL)!.map((client, i) => client + cpu.get(`${DAEMON_LABEL} engine`)![i]!);
          notes.push(
            `${label} CPU (user + system, median): stevedore ${cpuOf('stevedore pull')}, ` +
              `via the daemon ${formatMs(timingOf(clientAndEngine.slice(1)).medianMs)} ` +
              `(client ${cpuOf(DAEMON_LABEL)}, engine ${cpuOf(`${DAEMON_LABEL} engine`)}), skopeo ${cpuOf('skopeo copy docker:// oci:')}`,
          );
          const ours = pull.get('stevedore pull')!;
          const viaDaemon = pull.get(DAEMON_LABEL)!;
          const theirs = pull.get('skopeo copy docker:// oci:')!;
          log(
            `${label}: stevedore ${formatMs(ours.medianMs)}, via the daemon ${formatMs(viaDaemon.medianMs)}, skopeo ${formatMs(theirs.medianMs)}`,
          );
          checks.push(checkRatio(`${label}, stevedore / skopeo`, ours, theirs, TARGET_RATIO));
          checks.push(checkRatio(`${label} via the running engine (stevedore daemon) / skopeo`, viaDaemon, theirs, TARGET_RATIO));
          notes.push(
            `${label}: via the running engine ${formatMs(viaDaemon.medianMs)} vs standalone ${formatMs(ours.medianMs)} (medians; best ${formatMs(viaDaemon.bestMs)} vs ${formatMs(ours.bestMs)})`,
          );
          for (const [k, v] of pull) timings[`${label}: ${k}`] = v;
        }
      } finally {
        await daemon.stop();
      }
      for (const [k, v] of push) timings[`push: ${k}`] = v;
    } finally {
      await registry.stop();
    }
    return {
      name: this.name,
      timings,
      checks,
      notes: [
        'loopback docker-registry 2.8; layers gzipped as registries hold them; fresh registry for every push',
        'stevedore lines are standalone (in-process, STEVEDORE_NO_DAEMON=1) unless marked via the running engine',
        ...notes,
      ],
    };
  },
};
