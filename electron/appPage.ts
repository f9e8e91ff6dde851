import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Whether `url` is the app's own page (any route after #): the only page that reaches the engine. */
export function isAppPage(distDir: string, url: string | undefined): boolean {
  if (!url) return false;
  const indexUrl = pathToFileURL(join(distDir, 'renderer', 'index.html')).href;
  return url.split('#')[0] === indexUrl;
}
