import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session, shell } from 'electron';
import { isAppPage } from './appPage.js';
import { opensExternally } from './externalLinks.js';
import { grantsPermission } from './permissions.js';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

/** The app window with Electron's security checklist applied: isolated, sandboxed, no Node, no navigation. */
export function createMainWindow(distDir: string): BrowserWindow {
  const indexUrl = pathToFileURL(join(distDir, 'renderer', 'index.html')).href;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  const appPage = (url: string | undefined) => isAppPage(distDir, url);
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(grantsPermission(appPage, permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission, _origin, details) =>
    grantsPermission(appPage, permission, details.requestingUrl),
  );

  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Stevedore',
    show: false,
    webPreferences: {
      preload: join(distDir, 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (opensExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== indexUrl) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadURL(indexUrl);
  return window;
}
