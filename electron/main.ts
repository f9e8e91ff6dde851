import { dirname, join } from 'node:path';
import { app, BrowserWindow, safeStorage } from 'electron';
import { Engine } from '../core/engine.js';
import { serveEngineSocket } from '../core/server/engineSocket.js';
import { inProcessClient } from '../core/server/inProcessClient.js';
import { resolveRoot } from '../core/store/layout.js';
import { chooseRuntime, runtimeFactory } from '../core/vm/runtimeChoice.js';
import { isAppPage } from './appPage.js';
import { wireIpc } from './ipc.js';
import { createMainWindow } from './window.js';

// This file is bundled to dist/electron/main.cjs; the renderer sits in dist/renderer.
const distDir = dirname(__dirname);

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  // Logins saved in the window are sealed by the system keychain, where there is one.
  // Containers run natively as root on Linux, else in the machine (started when first needed).
  const choice = chooseRuntime({ env: process.env.STEVEDORE_RUNTIME });
  const runtime = runtimeFactory(choice, (line) => console.log(line));
  const engine = new Engine(resolveRoot(), {
    ...(runtime ? { runtime } : {}),
    runtimeReason: choice.reason,
    secrets: {
      available: () => safeStorage.isEncryptionAvailable(),
      encrypt: (plain) => safeStorage.encryptString(plain),
      decrypt: (sealed) => safeStorage.decryptString(sealed),
      // Linux only (the method exists nowhere else): basic_text there means no keyring.
      backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'),
    },
    // conmon runs the CLI when a container ends: Electron's own binary, acting as Node.
    cli: ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', process.execPath, join(distDir, 'cli.mjs')],
  });
  // One client for the window and the engine socket: every call of this face through one Router.
  const client = inProcessClient(engine);
  wireIpc(client, (_sender, frameUrl) => isAppPage(distDir, frameUrl));
  const stopWatching = engine.watchStore();
  app.on('will-quit', () => {
    stopWatching();
    engine.close();
  });
  // The CLI's commands in a terminal run through this engine (<root>/engine.sock).
  app.on('will-quit', serveEngineSocket(engine, client));
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
