import { dirname, join } from 'node:path';
import { app, BrowserWindow, dialog, safeStorage } from 'electron';
import { openAppEngine } from '../core/app/appEngine.js';
import { describeError } from '../core/errors.js';
import { resolveRoot } from '../core/store/layout.js';
import { isAppPage } from './appPage.js';
import { wireIpc } from './ipc.js';
import { createMainWindow } from './window.js';

// This file is bundled to dist/electron/main.cjs; the renderer sits in dist/renderer.
const distDir = dirname(__dirname);

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(async () => {
  // Containers run natively as root on Linux, rootless for a normal user where user namespaces
  // work (in a `stevedore daemon` of the user's), else in the machine (started when first needed).
  const host = await openAppEngine({
    root: resolveRoot(),
    runtime: process.env.STEVEDORE_RUNTIME,
    log: (line) => console.log(line),
    // Logins saved in the window are sealed by the system keychain, where there is one.
    secrets: {
      available: () => safeStorage.isEncryptionAvailable(),
      encrypt: (plain) => safeStorage.encryptString(plain),
      decrypt: (sealed) => safeStorage.decryptString(sealed),
      // Linux only (the method exists nowhere else): basic_text there means no keyring.
      backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'),
    },
    // conmon (and the rootless engine's start) runs the CLI: Electron's own binary, acting as Node.
    cli: ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', process.execPath, join(distDir, 'cli.cjs')],
  }).catch((err: unknown) => {
    dialog.showErrorBox('Stevedore cannot start its engine', describeError(err).message);
    app.exit(1);
    throw err;
  });
  wireIpc(host.client, (_sender, frameUrl) => isAppPage(distDir, frameUrl));
  app.on('will-quit', () => void host.close());
  let window = createMainWindow(distDir);
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createMainWindow(distDir);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
