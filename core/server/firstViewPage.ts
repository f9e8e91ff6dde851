import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { call, type EngineClient } from '../api/engineClient.js';
import { type FirstViewData, firstViewDataScript } from '../api/firstView.js';
import { StevedoreError } from '../errors.js';

/** What the renderer's server half exports (renderer/src/firstView.tsx, built as dist/first-view.cjs). */
interface FirstViewModule {
  renderFirstView(data: FirstViewData): string;
}

/** The page's root element as the built index.html has it, empty: the first view goes inside. */
const EMPTY_ROOT = '<div id="root"></div>';
const ROOT_CLOSE = '</div>';
/**
 * How long the page's end waits for the image list. Past it, the page is sent as it is and the
 * app draws itself, as it does without a first view: a slow store never holds the page back long.
 */
const DRAW_WITHIN_MS = 300;

/** The renderer's server half, built beside the renderer (dist/first-view.cjs), if it was. */
function firstViewModuleFile(rendererDir: string): string | undefined {
  const file = join(dirname(rendererDir), 'first-view.cjs');
  return existsSync(file) ? file : undefined;
}

/**
 * The app's page with its first view in it: the Images view over the store's images, drawn by the
 * app's own components in this process (firstView.tsx), so that a window opened from `stevedore ui`'s
 * URL shows its rows as soon as the HTML is parsed, while the scripts that make them live still
 * load and compile (issue 19: the first row within half a second of opening the app). The head goes
 * out at once, so the browser fetches the scripts and styles while the list is read and drawn.
 *
 * Without the built module, or when drawing fails, the page goes out as it is: the app draws itself
 * once loaded, as it always could. The first failure is said once on stderr, not on every page.
 */
export class FirstViewPage {
  private module: FirstViewModule | undefined;
  private failed = false;

  constructor(
    rendererDir: string,
    private readonly client: EngineClient,
    private readonly file = firstViewModuleFile(rendererDir),
  ) {}

  /** Loads the module ahead of the first page: ~130 ms of this process' time, once. */
  warm(): void {
    setImmediate(() => this.loaded());
  }

  /** Sends `page` (index.html's text) with `headers`, the first view drawn into its root. */
  async send(res: ServerResponse, page: string, headers: Record<string, string>): Promise<void> {
    const at = page.indexOf(EMPTY_ROOT);
    if (at < 0 || !this.loaded()) {
      res.writeHead(200, headers);
      res.end(page);
      return;
    }
    const rootEnd = at + EMPTY_ROOT.length - ROOT_CLOSE.length;
    res.writeHead(200, headers);
    res.write(page.slice(0, rootEnd));
    const { view, data } = await this.draw();
    // The data after the root, which must hold the drawing alone for the page to take it over.
    res.end(view + ROOT_CLOSE + data + page.slice(rootEnd + ROOT_CLOSE.length));
  }

  /** The first view's HTML and its data's script element; both empty when it is not drawn. */
  private async draw(): Promise<{ view: string; data: string }> {
    const none = { view: '', data: '' };
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), DRAW_WITHIN_MS);
      });
      const images = await Promise.race([call(this.client, 'images.list', {}), late]);
      const module = this.loaded();
      if (!images || !module) return none;
      const data = { images, drawnAt: Date.now() };
      return { view: module.renderFirstView(data), data: firstViewDataScript(data) };
    } catch (err) {
      // A store the engine cannot list is the app's to say (it asks again); a drawing that throws is a bug.
      if (!(err instanceof StevedoreError)) this.fail(err);
      return none;
    } finally {
      clearTimeout(timer);
    }
  }

  private loaded(): FirstViewModule | undefined {
    if (this.module || this.failed || !this.file) return this.module;
    try {
      this.module = createRequire(import.meta.url)(this.file) as FirstViewModule;
    } catch (err) {
      this.fail(err);
    }
    return this.module;
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.module = undefined;
    process.stderr.write(
      `the app's first view cannot be drawn here (${err instanceof Error ? err.message : String(err)}); pages are sent without it\n`,
    );
  }
}
