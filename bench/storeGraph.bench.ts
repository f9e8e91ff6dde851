import { join } from 'node:path';
import { launchBrowser, openApp } from '../e2e/support/browser.js';
import { loadImages } from '../e2e/support/images.js';
import { COUNT, graphTiming, storeOf200 } from '../e2e/support/storeGraph.js';
import { startWebApp } from '../e2e/support/webApp.js';
import { type Benchmark, checkTarget, formatMs } from './benchmark.js';
import { timingOf } from './timing.js';

const BUDGET_MS = 1000;
const OPENS = 5;

/** The Store graph of 200 images, opened afresh several times in Chromium: how long ELK's layout takes. */
export const storeGraphBenchmark: Benchmark = {
  name: 'store-graph',
  title: `store graph: ${COUNT} images laid out in Chromium (web mode)`,
  async run(workDir, log) {
    const root = join(workDir, 'root');
    await loadImages(root, join(workDir, 'layouts'), await storeOf200());
    const [browser, app] = await Promise.all([launchBrowser(), startWebApp(root)]);
    const layout: number[] = [];
    const drawn: number[] = [];
    try {
      for (let i = 0; i <= OPENS; i++) {
        const { page, context } = await openApp(browser, app.url);
        await page.getByTestId('image-row').first().waitFor();
        await page.getByTestId('nav-store-graph').click();
        const t = await graphTiming(page);
        await context.close();
        if (i === 0) continue; // warm-up: the first open also loads the graph code
        layout.push(t.layoutMs);
        drawn.push(t.drawnMs);
        log(`open ${i}: ${t.nodes} nodes, layout ${formatMs(t.layoutMs)}, drawn after ${formatMs(t.drawnMs)}`);
      }
    } finally {
      await browser.close();
      await app.stop();
    }
    const timing = timingOf(layout);
    return {
      name: this.name,
      timings: { 'store graph layout': timing, 'store graph drawn': timingOf(drawn) },
      checks: [
        checkTarget(
          `layout of ${COUNT} images`,
          timing.medianMs,
          'ms',
          '<',
          BUDGET_MS,
          `median of ${OPENS}; best ${formatMs(timing.bestMs)}`,
        ),
      ],
      notes: [`the layout time is what the page measures around ELK (in its web worker), from data to positions`],
    };
  },
};
