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
import { DESKTOP_PAYMENT_SCHEMES, payRoute, paymentUriFromArgv } from './protocol.ts';
import {
  applicationMenu,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  permissionAllowed,
  shouldBlockNavigation,
  webPreferencesFor,
  WINDOW_OPEN_RESPONSE,
} from './security.ts';

const log = createLogger('desktop');
let node: NodeHandle | undefined;
let win: BrowserWindow | undefined;
/** A bitcoin:/litecoin: link the app was opened with before its window was ready. */
let pendingPayment: string | undefined = paymentUriFromArgv(process.argv);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  for (const scheme of DESKTOP_PAYMENT_SCHEMES) app.setAsDefaultProtocolClient(scheme);
  // Windows and Linux start a second instance with the link in its argv; macOS sends open-url.
  app.on('second-instance', (_e, argv) => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    openPayment(paymentUriFromArgv(argv));
  });
  app.on('open-url', (ev, url) => {
    ev.preventDefault();
    openPayment(paymentUriFromArgv([url]));
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

  session.defaultSession.setPermissionRequestHandler((_wc, permission, cb, details) =>
    cb(permissionAllowed(permission, details, indexUrl)),
  );
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
  openPayment(pendingPayment);
}

/** Shows a payment link on the Pay page: only the hash changes, the page itself stays. */
function openPayment(uri: string | undefined): void {
  if (uri === undefined) return;
  if (!win) {
    pendingPayment = uri;
    return;
  }
  pendingPayment = undefined;
  void win.webContents.executeJavaScript(`window.location.hash = ${JSON.stringify(payRoute(uri))};`);
}
