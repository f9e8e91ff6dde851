import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import type { ContainerStats } from '../api/stats.schema.js';
import { StevedoreError } from '../errors.js';
import { cgroupV2Stats, type RuntimeStats } from './cgroupStats.js';
import type { ContainerRecord } from './containerRecord.js';
import { ociRuntime, runcArgs, runcMessage } from './runc.js';

/** One reading of a container's counters, and when it was taken. */
interface Reading {
  atNs: bigint;
  cpuNs: number;
  memoryUsage: number;
  memoryLimit: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
  netRx: number;
  netTx: number;
}

function runcStats(id: string): Promise<RuntimeStats> {
  return new Promise((resolve, reject) => {
    const child = spawn(ociRuntime(), runcArgs('events', '--stats', id), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', (e) => reject(new StevedoreError('INTERNAL', `cannot run runc: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new StevedoreError('INTERNAL', `cannot read the container's counters: ${runcMessage(err)}`));
      try {
        resolve((JSON.parse(out) as { data: RuntimeStats }).data);
      } catch {
        reject(new StevedoreError('INTERNAL', 'runc events gave counters that are not JSON'));
      }
    });
  });
}

/** Bytes received and sent on the container's interfaces but loopback (/proc/PID/net/dev, its namespace's). */
function netBytes(pid: number | null): { rx: number; tx: number } {
  let text = '';
  try {
    text = pid ? readFileSync(`/proc/${pid}/net/dev`, 'utf8') : '';
  } catch {
    // Gone, or no permission: no traffic to show.
  }
  let rx = 0;
  let tx = 0;
  for (const line of text.split('\n').slice(2)) {
    const [name, counters] = line.split(':');
    if (!counters || name?.trim() === 'lo') continue;
    const fields = counters.trim().split(/\s+/).map(Number);
    rx += fields[0] ?? 0;
    tx += fields[8] ?? 0;
  }
  return { rx, tx };
}

async function read(record: ContainerRecord): Promise<Reading> {
  const stats = ociRuntime() === 'crun' ? cgroupV2Stats(record.state.pid) : await runcStats(record.id);
  const raw = stats.memory?.raw ?? {};
  // docker's "usage": the cgroup's usage less the inactive page cache (v1: total_inactive_file, v2: inactive_file).
  const cache = raw.total_inactive_file ?? raw.inactive_file ?? 0;
  const usage = stats.memory?.usage?.usage ?? 0;
  const limit = stats.memory?.usage?.limit ?? 0;
  const io = stats.blkio?.ioServiceBytesRecursive ?? [];
  const sum = (op: string) => io.filter((e) => e.op.toLowerCase() === op).reduce((n, e) => n + e.value, 0);
  const net = netBytes(record.state.pid);
  return {
    atNs: process.hrtime.bigint(),
    cpuNs: stats.cpu?.usage?.total ?? 0,
    memoryUsage: Math.max(0, usage - cache),
    // No limit set reads as a huge number: docker shows the host's memory then.
    memoryLimit: limit > 0 && limit < totalmem() ? limit : totalmem(),
    blockRead: sum('read'),
    blockWrite: sum('write'),
    pids: stats.pids?.current ?? 0,
    netRx: net.rx,
    netTx: net.tx,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * docker stats' numbers for running containers: two readings `intervalMs` apart (a CPU share is a
 * rate), all containers at once. CPU % is of one CPU, as docker counts (two busy CPUs: 200%).
 */
export async function measureStats(records: ContainerRecord[], intervalMs = 1000): Promise<ContainerStats[]> {
  const first = await Promise.all(records.map(read));
  await sleep(intervalMs);
  const second = await Promise.all(records.map(read));
  return records.map((record, i) => {
    const a = first[i]!;
    const b = second[i]!;
    const wallNs = Number(b.atNs - a.atNs);
    return {
      id: record.id,
      name: record.name,
      cpuPercent: wallNs > 0 ? (Math.max(0, b.cpuNs - a.cpuNs) / wallNs) * 100 : 0,
      memoryUsageBytes: b.memoryUsage,
      memoryLimitBytes: b.memoryLimit,
      memoryPercent: b.memoryLimit > 0 ? (b.memoryUsage / b.memoryLimit) * 100 : 0,
      netRxBytes: b.netRx,
      netTxBytes: b.netTx,
      blockReadBytes: b.blockRead,
      blockWriteBytes: b.blockWrite,
      pids: b.pids,
    };
  });
}

/** What `stats` shows of a container that is not running: nothing in use. */
export function idleStats(record: ContainerRecord): ContainerStats {
  return {
    id: record.id,
    name: record.name,
    cpuPercent: 0,
    memoryUsageBytes: 0,
    memoryLimitBytes: 0,
    memoryPercent: 0,
    netRxBytes: 0,
    netTxBytes: 0,
    blockReadBytes: 0,
    blockWriteBytes: 0,
    pids: 0,
  };
}
