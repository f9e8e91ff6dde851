import { existsSync } from 'node:fs';
import { observeExit } from '../containerObserver.js';
import { type ContainerRecord, containerPaths, readRecord } from '../containerRecord.js';
import { configureRunc } from '../runc.js';
import { readHealth, writeHealth } from './healthFile.js';
import { probeHealth } from './healthProbe.js';
import { afterCheck } from './healthVerdict.js';

/** The record of the run that started at `startedAt`, while it still runs; null once it has ended. */
function currentRun(root: string, id: string, startedAt: string): ContainerRecord | null {
  const file = containerPaths(root, id).record;
  if (!existsSync(file)) return null;
  const record = readRecord(file);
  if (record.state.status !== 'running' || record.state.startedAt !== startedAt || !record.config.healthcheck) return null;
  return observeExit(root, record) ? null : record;
}

/**
 * One health check of one run (the CLI's `container-healthcheck`, run by the loop healthRunner.ts
 * starts): execs the check, writes the new state. Returns false once the run has ended, which ends
 * the loop. A paused container is not checked (an exec would freeze with it), as docker.
 */
export async function checkHealthOnce(root: string, id: string, startedAt: string, runcOptions: string[]): Promise<boolean> {
  const rootIndex = runcOptions.indexOf('--root');
  if (rootIndex >= 0 && runcOptions[rootIndex + 1]) {
    configureRunc({ root: runcOptions[rootIndex + 1]!, rootless: runcOptions.includes('--rootless') });
  }
  const record = currentRun(root, id, startedAt);
  if (!record?.config.healthcheck) return false;
  if (record.state.paused) return true;
  const result = await probeHealth(root, record, record.config.healthcheck);
  // The run may have ended while the check ran: its state is left as the end found it.
  if (!currentRun(root, id, startedAt)) return false;
  const { dir } = containerPaths(root, id);
  writeHealth(dir, afterCheck(readHealth(dir), result, record.config.healthcheck, startedAt));
  return true;
}
