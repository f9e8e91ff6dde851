import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Locator } from 'playwright-core';
import type { BuildDetail, BuildSummary } from '../../core/api/builds.schema';
import type { Method } from '../../core/api/contract';
import { connectBridge, invokeOverBridge } from './bridgeSocket';
import { eventually } from './eventually';
import { visibleText } from './visibleText';
import type { WebApp } from './webApp';

/** A build context: `files` (path → content) written under `dir`, which is returned. */
export function writeContext(dir: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** One call to the app's engine over its own bridge, as the page makes it: to compare the page with the engine. */
async function engineCall<T>(app: WebApp, method: Method, args: unknown): Promise<T> {
  const { socket } = await connectBridge(app, `?token=${app.token}`, app.origin);
  assert.ok(socket, 'the bridge socket opened');
  try {
    const response = await invokeOverBridge(socket, method, args);
    if (!response.ok) throw new Error(`${method}: ${response.error.message}`);
    return response.value as T;
  } finally {
    socket.close();
  }
}

export const engineBuild = (app: WebApp, buildId: string) => engineCall<BuildDetail>(app, 'builds.inspect', { buildId });
export const engineBuilds = (app: WebApp) => engineCall<BuildSummary[]>(app, 'builds.list', {});

/**
 * Waits until the app's engine runs no build: a test that failed half-way must not stop the
 * server under a RUN (its runc container would be left behind).
 */
export async function waitForBuildsToEnd(app: WebApp, timeoutMs = 20_000): Promise<void> {
  await eventually(
    async () => {
      const running = (await engineBuilds(app)).filter((b) => b.state === 'running').map((b) => b.buildId);
      assert.deepEqual(running, [], 'a build was still running');
    },
    timeoutMs,
    200,
  );
}

export interface ShownStep {
  step: number;
  state: string;
  /** The CLI's word the row shows: DONE, CACHED, RUNNING, ERROR. */
  marker: string;
  title: string;
}

/** The steps a build's detail lists, as a person reads them. */
export async function shownSteps(detail: Locator): Promise<ShownStep[]> {
  const rows = await detail.getByTestId('build-step').all();
  return Promise.all(
    rows.map(async (row) => ({
      step: Number(await row.getAttribute('data-step')),
      state: (await row.getAttribute('data-state')) ?? '',
      marker: await visibleText(row.getByTestId('step-marker')),
      title: await row
        .locator('.build-step__title')
        .getAttribute('title')
        .then((t) => t ?? ''),
    })),
  );
}

/** One step's row in a build's detail, by its number (`#4`). */
export function stepRow(detail: Locator, step: number): Locator {
  return detail.locator(`[data-testid="build-step"][data-step="${step}"]`);
}

/** The lines an open step's log shows (it is virtualized: the ones in view). */
export async function stepLogLines(row: Locator): Promise<string[]> {
  return (await row.getByTestId('log-line').allInnerTexts()).map((l) => l.trim());
}
