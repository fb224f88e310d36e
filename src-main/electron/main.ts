// The Electron shell: starts the same core the headless node runs, opens one sandboxed window
// on the packaged renderer, and bridges the API contract over one IPC channel pair. Thin on
// purpose: every decision worth testing lives in core/ or security.ts.
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  session,
  shell,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
} from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_CHANNELS } from '../../src-shared/api/client.ts';
import { startNode, type NodeHandle } from '../core/node.ts';
import { createLogger } from '../kernel/log.ts';
import {
  ALLOWED_PERMISSIONS,
  applicationMenu,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  shouldBlockNavigation,
  webPreferencesFor,
  WINDOW_OPEN_RESPONSE,
} from './security.ts';

const log = createLogger('desktop');
let node: NodeHandle | undefined;
let win: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https:\/\//.test(url)) void shell.openExternal(url);
      return WINDOW_OPEN_RESPONSE;
    });
  });
  app
    .whenReady()
    .then(boot)
    .catch((err: unknown) => {
      log.error('desktop start failed', { error: String(err) });
      app.exit(1);
    });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (ev) => {
    if (!node) return;
    ev.preventDefault();
    const n = node;
    node = undefined;
    void n.stop().finally(() => app.quit());
  });
}

async function boot(): Promise<void> {
  const rendererDir = path.join(app.getAppPath(), 'dist', 'renderer');
  const indexUrl = pathToFileURL(path.join(rendererDir, 'index.html')).toString();
  const dataDir = process.env.HASHLOCK_DATA_DIR ?? path.join(app.getPath('userData'), 'node');

  session.defaultSession.setPermissionRequestHandler((_wc, permission, cb) => cb(ALLOWED_PERMISSIONS.has(permission)));
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  node = await startNode({ dataDir, log, serveApi: false });

  ipcMain.handle(IPC_CHANNELS.call, (ev: IpcMainInvokeEvent, method: unknown, params: unknown) => {
    // Only our own page may call the node.
    if (!ev.senderFrame || !isAppUrl(ev.senderFrame.url, indexUrl)) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'caller is not the Hashlock window' } };
    }
    if (!node) return { ok: false, error: { code: 'INTERNAL', message: 'node is stopping' } };
    return node.dispatcher.call(method, params, { transport: 'ipc' });
  });
  node.events.subscribe((e) => {
    win?.webContents.send(IPC_CHANNELS.event, { event: e.event, data: e.data });
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(applicationMenu(process.platform, app.isPackaged) as MenuItemConstructorOptions[]),
  );

  win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1280,
    minHeight: 800,
    show: false,
    title: 'Hashlock',
    backgroundColor: '#0e1116',
    webPreferences: {
      ...webPreferencesFor(app.isPackaged),
      preload: path.join(app.getAppPath(), 'dist', 'electron', 'preload.cjs'),
    },
  });
  win.webContents.on('will-navigate', (ev, url) => {
    if (shouldBlockNavigation(url, indexUrl)) ev.preventDefault();
  });
  win.webContents.on('will-redirect', (ev, url) => {
    if (shouldBlockNavigation(url, indexUrl)) ev.preventDefault();
  });
  win.once('ready-to-show', () => win?.show());
  await win.loadURL(indexUrl);
}
