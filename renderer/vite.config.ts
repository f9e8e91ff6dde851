import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The app's chunk, which the page's entry imports once it has asked the engine for the first
 * view's data, is fetched and compiled beside the entry rather than after it: a modulepreload
 * link in index.html.
 */
function preloadApp(): Plugin {
  return {
    name: 'stevedore-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const app = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'app');
        if (!app) return [];
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: '', href: `./${app.fileName}` }, injectTo: 'head' }];
      },
    },
  };
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
