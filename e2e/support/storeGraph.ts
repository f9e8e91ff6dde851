import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { makeLayer } from '../../testkit/layers';
import type { TestImage } from '../../testkit/ociLayout';
import { eventually } from './eventually';

export const COUNT = 200;

/**
 * 200 images in four repositories: even ones on a two-layer base, odd ones on a one-layer base,
 * each with a layer of its own. Three base blobs, each held by 100 images.
 */
export function storeOf200(): Promise<TestImage[]> {
  return storeOf(COUNT);
}

/** `count` images built as storeOf200's: the bench's 1,000-image store is the same shape, bigger. */
export async function storeOf(count: number): Promise<TestImage[]> {
  const [os, runtime, slim] = await Promise.all([
    makeLayer([{ path: 'etc/os-release', content: 'ID=base\n' }]),
    makeLayer([{ path: 'usr/lib/runtime.so', content: 'runtime\n' }]),
    makeLayer([{ path: 'etc/os-release', content: 'ID=slim\n' }]),
  ]);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      refName: `team-${i % 4}/svc-${String(i).padStart(count > 1000 ? 4 : 3, '0')}:1`,
      layers: [...(i % 2 === 0 ? [os, runtime] : [slim]), await makeLayer([{ path: `srv/svc-${i}`, content: `${i}\n` }])],
      config: { Cmd: ['/srv/svc'], Labels: { n: String(i) } },
    })),
  );
}

export interface GraphTiming {
  layoutMs: number;
  elkMs: number;
  drawnMs: number;
  nodes: number;
}

/** Waits for the store graph to be laid out and drawn; returns what it measured about itself. */
export async function graphTiming(page: Page): Promise<GraphTiming> {
  const graph = page.getByTestId('store-graph');
  await eventually(async () => assert.ok(await graph.getAttribute('data-drawn-ms', { timeout: 1000 })), 15_000);
  const n = async (name: string) => Number(await graph.getAttribute(name));
  return {
    layoutMs: await n('data-layout-ms'),
    elkMs: await n('data-elk-ms'),
    drawnMs: await n('data-drawn-ms'),
    nodes: await n('data-node-count'),
  };
}
