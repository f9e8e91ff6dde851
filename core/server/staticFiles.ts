import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The built renderer: beside the bundle in dist/, or dist/renderer seen from the sources. */
export function findRendererDir(): string | undefined {
  if (process.env.STEVEDORE_RENDERER_DIR) return process.env.STEVEDORE_RENDERER_DIR;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'renderer'), join(here, '..', 'renderer'), join(here, '..', '..', 'dist', 'renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/**
 * A file under `root` for a decoded URL path (requestTarget.ts, which refuses what cannot be
 * decoded), never outside it. A path without an extension gets the app (client routing); a
 * missing file gets nothing (a 404): a page left open across a rebuild that asks for its old
 * chunk must fail to load it as missing, not receive the app's HTML as a script. `isPage`: the
 * answer is the app's page (index.html).
 */
export function resolveStatic(root: string, path: string): { body: Buffer; type: string; isPage: boolean } | undefined {
  const clean = normalize(path).replace(/^(\.\.(\/|\\|$))+/, '');
  const candidate = join(root, clean);
  const inside = candidate === root || candidate.startsWith(root + sep);
  const found = inside && existsSync(candidate) && statSync(candidate).isFile();
  if (!found && extname(clean) !== '') return undefined;
  const page = join(root, 'index.html');
  const file = found ? candidate : page;
  return { body: readFileSync(file), type: contentTypes[extname(file)] ?? 'application/octet-stream', isPage: file === page };
}
