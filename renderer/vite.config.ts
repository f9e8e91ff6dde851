import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The app's chunk, which the page's entry imports once it has asked the engine for the first
 * view's data, and the chunks it imports are fetched and compiled beside the entry rather than
 * after it: modulepreload links in index.html.
 */
function preloadApp(): Plugin {
  return {
    name: 'stevedore-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle ?? {};
        const app = Object.values(bundle).find((c) => c.type === 'chunk' && c.name === 'app');
        if (app?.type !== 'chunk') return [];
        // The entry is there already, as the page's script.
        const imported = app.imports.filter((file) => !(bundle[file]?.type === 'chunk' && bundle[file].isEntry));
        return [...imported, app.fileName].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: '', href: `./${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

/**
 * React and zod in chunks of their own beside the app's: Chromium compiles each script a page
 * loads on a thread of its own, so three chunks of 222, 94 and 327 kB are ready sooner than one of
 * 644 kB. The first row of 1,000 images in a fresh browser profile, medians of alternated opens:
 * 790 -> 722, 752 -> 703, 747 -> 727 (20 each) and 684 -> 654 ms (30). Splitting the app's other
 * libraries off as well gained nothing more.
 */
function chunkOf(id: string): string | undefined {
  if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
  if (/node_modules\/zod\//.test(id)) return 'zod';
  return undefined;
}

export default defineConfig({
  root: here,
  plugins: [preloadApp()],
  // Electron loads the built app over file://, so every asset URL must be relative.
  base: './',
  // No @vitejs/plugin-react: esbuild's automatic JSX runtime is all the build needs (no fast refresh).
  esbuild: { jsx: 'automatic' },
  // The ELK layout worker (components/graph/elkWorker.ts) is an ES module, as the page is.
  worker: { format: 'es' },
  build: {
    outDir: join(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    // Electron 45 (Chromium 140) and any current browser for web mode; the CSS needs light-dark() anyway.
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    // ELK (elkjs, compiled from Java) is one 1.5 MB module; it loads only in the layout worker.
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      output: { manualChunks: chunkOf },
      onwarn(warning, warn) {
        // react-query marks its hooks "use client" (for server components) and zod places
        // @__PURE__ notes where Rollup cannot use them; both are harmless in a client bundle.
        const harmless = ['MODULE_LEVEL_DIRECTIVE', 'INVALID_ANNOTATION', 'SOURCEMAP_ERROR'];
        if (warning.code && harmless.includes(warning.code)) return;
        warn(warning);
      },
    },
  },
});
