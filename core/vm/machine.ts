import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { StevedoreError } from '../errors.js';
import { deliveryLine, seedTakesDigests, wantedFiles } from './agentDelivery.js';
import { consoleTail } from './consoleLog.js';
import { ensureDataDisk } from './dataDisk.js';
import { MachineError } from './machineError.js';
import { type MachinePaths, prepareMachineDirs } from './machinePaths.js';
import { findQemu, type QemuBinary, qbootFirmware } from './qemuBinary.js';
import { type Accelerator, qemuArguments } from './qemuCommand.js';
import { QmpClient } from './qmp.js';

/** The guest image's files (guest/build.ts writes them and names them in its manifest). */
export interface GuestFiles {
  kernel: string;
  initrd: string;
  rootfs: string;
  /** The agent version the image holds; the engine talks only to its own. */
  agentVersion: string;
}

export interface MachineConfig {
  paths: MachinePaths;
  guest: GuestFiles;
  accel: Accelerator;
  cpus?: number;
  memoryMiB?: number;
  /** Size of the data disk when it is first made. */
  diskBytes?: number;
  qemu?: QemuBinary;
  bootTimeoutMs?: number;
  /**
   * Run QEMU detached from this process (`stevedore machine start`): its own session, stderr to
   * `paths.qemuLog`, a `-pidfile`; once the agent is ready this process lets go of it and may
   * exit while the machine runs on. Otherwise QEMU is this process's child and dies with it.
   */
  detached?: boolean;
  /** What the host gives the guest's seed at boot: the agent to run, its token, the time. */
  delivery?: AgentDelivery;
  /** The host's loopback port forwarded to the agent (the machine's user network). */
  agentHostPort?: number;
  /** virtiofsd's socket, when the host's files are shared into the guest. */
  hostShareSocket?: string;
  /** Called with QEMU's pid as soon as it is spawned (the `sh -c exec` keeps the pid). */
  onSpawned?: (pid: number) => void;
}

/** The agent's code (files under one directory, `main` the script to run) and the token it demands. */
export interface AgentDelivery {
  token: string;
  main: string;
  files: { path: string; bytes: Buffer }[];
}

export interface BootReport {
  accel: Accelerator;
  /** From spawning QEMU to the agent's ready line. */
  bootMs: number;
  agentVersion: string;
  readyLine: string;
  /** Whether the data disk was made for this boot. */
  newDisk: boolean;
}

export interface StopReport {
  how: 'powered-off' | 'killed' | 'not-running';
  ms: number;
}

/** The seed's lines (guest/files/seed.cjs): hello first, then ready or failed. */
const HELLO = /^stevedore-seed hello (\S+)/;
const READY = /^stevedore-agent ready (\S+)/;
const FAILED = /^stevedore-agent failed (.*)/;

/**
 * One QEMU process running the guest: boot it and wait for its agent, power it off by ACPI
 * (the guest's acpid and init put the data disk down cleanly), or kill it.
 */
export class Machine {
  private child: ChildProcess | undefined;
  private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  private agent: Socket | undefined;
  private stderr = '';

  constructor(private readonly config: MachineConfig) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<BootReport> {
    if (this.running) throw new StevedoreError('CONFLICT', 'The machine is already running.');
    const { paths, guest } = this.config;
    const qemu = this.config.qemu ?? findQemu();
    prepareMachineDirs(paths);
    const newDisk = ensureDataDisk(paths.dataDisk, this.config.diskBytes ?? 16 * 1024 ** 3);
    rmSync(paths.agentSocket, { force: true });
    rmSync(paths.qmpSocket, { force: true });
    const detached = this.config.detached ?? false;
    const firmware = qbootFirmware(qemu);
    const args = qemuArguments({
      accel: this.config.accel,
      cpus: this.config.cpus ?? 2,
      memoryMiB: this.config.memoryMiB ?? 1024,
      kernel: guest.kernel,
      initrd: guest.initrd,
      rootDisk: guest.rootfs,
      dataDisk: paths.dataDisk,
      agentSocket: paths.agentSocket,
      qmpSocket: paths.qmpSocket,
      consoleLog: paths.consoleLog,
      ...(this.config.agentHostPort !== undefined ? { agentHostPort: this.config.agentHostPort } : {}),
      ...(this.config.hostShareSocket !== undefined ? { hostShareSocket: this.config.hostShareSocket } : {}),
      ...(firmware !== undefined ? { firmware } : {}),
    });
    if (detached) args.push('-pidfile', paths.pidFile);
    const started = performance.now();
    // umask 0177: the sockets QEMU binds (the agent's channel, QMP), the console log and pidfile
    // it creates are the user's alone (0600) from the moment they exist.
    const command = ['-c', 'umask 177 && exec "$0" "$@"', qemu.path, ...args];
    let child: ChildProcess;
    if (detached) {
      // A pipe would outlive its reader (this process) and end QEMU with SIGPIPE: a file instead.
      const log = openSync(paths.qemuLog, 'w', 0o600);
      try {
        child = spawn('/bin/sh', command, { stdio: ['ignore', 'ignore', log], detached: true });
      } finally {
        closeSync(log);
      }
    } else {
      child = spawn('/bin/sh', command, { stdio: ['ignore', 'ignore', 'pipe'] });
    }
    this.child = child;
    this.stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      this.stderr = (this.stderr + s).slice(-4096);
    });
    this.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    if (child.pid !== undefined) this.config.onSpawned?.(child.pid);

    const timeoutMs = this.config.bootTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.readyLine(), this.exit.then((e) => ({ exited: e })), timedOut]);
    clearTimeout(timer);

    if (outcome === 'timeout') {
      await this.kill();
      const tail = consoleTail(paths.consoleLog, 40);
      throw new MachineError(
        'timeout',
        `The VM did not become ready within ${Math.round(timeoutMs / 1000)} s (accelerator ${this.config.accel})${ending(tail)}`,
        tail,
      );
    }
    if ('exited' in outcome) {
      const tail = consoleTail(paths.consoleLog, 40);
      const qemuSaid = (detached ? consoleTail(paths.qemuLog, 1).join('') : this.stderr).trim().split('\n').pop();
      const how = outcome.exited.signal ? `was killed (${outcome.exited.signal})` : `exited with status ${outcome.exited.code}`;
      throw new MachineError(
        'did-not-boot',
        `The VM did not boot: QEMU ${how} before the agent was ready${qemuSaid ? ` (${qemuSaid})` : ''}${ending(tail)}`,
        tail,
      );
    }
    const failed = FAILED.exec(outcome.line)?.[1];
    if (failed !== undefined) {
      await this.kill();
      throw new MachineError(
        'did-not-boot',
        `The VM booted but its agent did not start: ${failed}`,
        consoleTail(paths.consoleLog, 40),
      );
    }
    const agentVersion = READY.exec(outcome.line)?.[1] ?? '';
    if (agentVersion !== guest.agentVersion) {
      await this.stop();
      throw new MachineError(
        'agent-version',
        `The VM's agent is version ${agentVersion}, this engine needs ${guest.agentVersion}: rebuild or re-pull the guest image.`,
      );
    }
    const report = {
      accel: this.config.accel,
      bootMs: performance.now() - started,
      agentVersion,
      readyLine: outcome.line,
      newDisk,
    };
    if (detached) this.release();
    return report;
  }

  /**
   * Lets a detached QEMU go: closes the agent's channel (the seed has said all it says) and stops
   * holding this process open for it. QEMU runs on in its own session.
   */
  private release(): void {
    this.agent?.destroy();
    this.agent = undefined;
    this.child?.unref();
    this.child = undefined;
    this.exit = undefined;
  }

  /**
   * The seed's delivery: one JSON line (core/vm/agentDelivery.ts), then the bytes of the files the
   * seed asks for; an older seed, which does not ask, gets every file right after the line.
   */
  private deliver(socket: Socket, hello: string): void {
    socket.write(`${deliveryLine(this.config.delivery, Date.now())}\n`);
    if (!seedTakesDigests(hello)) for (const f of this.config.delivery?.files ?? []) socket.write(f.bytes);
  }

  /** Connects to the agent's channel as soon as QEMU serves it, answers the seed's hello, and reads until ready. */
  private async readyLine(): Promise<{ line: string }> {
    for (;;) {
      if (!this.running) return new Promise(() => {}); // the exit branch of the race answers
      const socket = await new Promise<Socket | undefined>((resolve) => {
        const s = connect(this.config.paths.agentSocket);
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
      if (!socket) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      this.agent = socket;
      return new Promise((resolve) => {
        let buffer = '';
        socket.setEncoding('utf8');
        socket.on('error', () => {});
        const onData = (chunk: string): void => {
          buffer += chunk;
          for (const line of buffer.split('\n').slice(0, -1)) {
            let wanted: Buffer[] | undefined;
            try {
              wanted = wantedFiles(this.config.delivery, line);
            } catch (err) {
              socket.off('data', onData);
              resolve({ line: `stevedore-agent failed ${(err as Error).message}` });
              return;
            }
            if (HELLO.test(line)) this.deliver(socket, line);
            else if (wanted) for (const bytes of wanted) socket.write(bytes);
            else if (READY.test(line) || FAILED.test(line)) {
              socket.off('data', onData);
              resolve({ line: line.trim() });
              return;
            }
          }
          buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
        };
        socket.on('data', onData);
      });
    }
  }

  /**
   * ACPI power-off through QMP (`system_powerdown`: the guest's acpid runs poweroff, its init
   * stops the agent and unmounts the data disk), then SIGKILL if it has not ended in time.
   */
  async stop(timeoutMs = 30_000): Promise<StopReport> {
    const started = performance.now();
    if (!this.running || !this.exit) return { how: 'not-running', ms: 0 };
    this.agent?.destroy();
    let qmp: QmpClient | undefined;
    try {
      qmp = await QmpClient.connect(this.config.paths.qmpSocket);
      await qmp.execute('system_powerdown');
    } catch {
      // QEMU not answering QMP: the timeout below ends in a kill.
    }
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.exit.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    qmp?.close();
    if (ended) return { how: 'powered-off', ms: performance.now() - started };
    await this.kill();
    return { how: 'killed', ms: performance.now() - started };
  }

  /** SIGKILL to QEMU, as a crash or a power cut would: the guest's data disk is not put down. */
  async kill(): Promise<void> {
    this.agent?.destroy();
    if (!this.running || !this.exit) return;
    this.child?.kill('SIGKILL');
    await this.exit;
  }
}

/**
 * The console's end for a one-line error: the lines that say what went wrong (the kernel's
 * panic, the init's own complaints) even when a stack trace follows them, then the last lines.
 */
function ending(tail: string[]): string {
  if (tail.length === 0) return '; its console printed nothing';
  const telling = tail.filter((line) => /Kernel panic|stevedore-init:|stevedore-agent:/.test(line)).slice(-3);
  const last = tail.slice(-3).filter((line) => !telling.includes(line));
  return `; its console ends with: ${[...telling, ...last].join(' / ')}`;
}
