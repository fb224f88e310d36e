// Reads the desktop shell's security settings and the shell source that applies them: the
// Electron binary cannot run here, so these tests pin what main.ts hands to Electron.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_PERMISSIONS,
  applicationMenu,
  webPreferencesFor,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  permissionAllowed,
  shouldBlockNavigation,
  WEB_PREFERENCES,
  WINDOW_OPEN_RESPONSE,
} from './security.ts';

const mainSource = readFileSync(new URL('./main.ts', import.meta.url), 'utf8');
const preloadSource = readFileSync(new URL('./preload.ts', import.meta.url), 'utf8');
const APP = 'file:///opt/Hashlock/resources/app.asar/dist/renderer/index.html';

describe('BrowserWindow webPreferences', () => {
  it('isolates and sandboxes the renderer', () => {
    expect(WEB_PREFERENCES.contextIsolation).toBe(true);
    expect(WEB_PREFERENCES.sandbox).toBe(true);
    expect(WEB_PREFERENCES.nodeIntegration).toBe(false);
    expect(WEB_PREFERENCES.nodeIntegrationInWorker).toBe(false);
    expect(WEB_PREFERENCES.nodeIntegrationInSubFrames).toBe(false);
    expect(WEB_PREFERENCES.webSecurity).toBe(true);
    expect(WEB_PREFERENCES.allowRunningInsecureContent).toBe(false);
    expect(WEB_PREFERENCES.webviewTag).toBe(false);
  });
  it('is what main.ts passes to the window, with nothing overriding it', () => {
    expect(mainSource).toMatch(/webPreferences:\s*\{\s*\.\.\.webPreferencesFor\(app\.isPackaged\),\s*preload:/);
    for (const key of ['contextIsolation', 'sandbox', 'nodeIntegration', 'webSecurity']) {
      expect(mainSource).not.toMatch(new RegExp(`${key}\\s*:`));
    }
  });
});

describe('content security policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  it('allows only the app itself', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|https?:|\*/);
  });
  it('is applied to every response in the desktop shell', () => {
    expect(mainSource).toMatch(/onHeadersReceived[\s\S]*'Content-Security-Policy': \[CONTENT_SECURITY_POLICY\]/);
  });
});

describe('navigation, windows and instances', () => {
  it('blocks navigation anywhere but the app page', () => {
    expect(shouldBlockNavigation('https://evil.example/', APP)).toBe(true);
    expect(shouldBlockNavigation('file:///etc/passwd', APP)).toBe(true);
    expect(shouldBlockNavigation('javascript:alert(1)', APP)).toBe(true);
    expect(shouldBlockNavigation(APP + '#/wallets', APP)).toBe(false);
  });
  it('recognises only the packaged page as the app', () => {
    expect(isAppUrl(APP, APP)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:7420/index.html', APP)).toBe(false);
    expect(isAppUrl('not a url', APP)).toBe(false);
  });
  it('denies window.open and webviews, and holds a single-instance lock', () => {
    expect(WINDOW_OPEN_RESPONSE).toEqual({ action: 'deny' });
    expect(mainSource).toMatch(/setWindowOpenHandler\([\s\S]*return WINDOW_OPEN_RESPONSE/);
    expect(mainSource).toMatch(/will-attach-webview', \(ev\) => ev\.preventDefault\(\)/);
    expect(mainSource).toMatch(
      /will-navigate', \(ev, url\) => \{\s*if \(shouldBlockNavigation\(url, indexUrl\)\) ev\.preventDefault\(\)/,
    );
    expect(mainSource).toMatch(/if \(!app\.requestSingleInstanceLock\(\)\) \{\s*app\.quit\(\);/);
    expect(mainSource).toMatch(/app\.enableSandbox\(\)/);
  });
  it('denies permissions except notifications, clipboard writes and the camera for the app page', () => {
    expect([...ALLOWED_PERMISSIONS].sort()).toEqual(['clipboard-sanitized-write', 'notifications']);
    expect(mainSource).toMatch(
      /setPermissionRequestHandler\(\(_wc, permission, cb, details\) =>\s*cb\(permissionAllowed\(permission, details, indexUrl\)\)/,
    );
    expect(permissionAllowed('notifications', {}, APP)).toBe(true);
    expect(permissionAllowed('geolocation', { requestingUrl: APP }, APP)).toBe(false);
  });
  it('allows the camera (video only) to the app page alone, for the QR scanner', () => {
    expect(permissionAllowed('media', { requestingUrl: APP + '#/pay', mediaTypes: ['video'] }, APP)).toBe(true);
    expect(permissionAllowed('media', { requestingUrl: APP, mediaTypes: ['video', 'audio'] }, APP)).toBe(false);
    expect(permissionAllowed('media', { requestingUrl: APP, mediaTypes: ['audio'] }, APP)).toBe(false);
    expect(permissionAllowed('media', { requestingUrl: APP, mediaTypes: [] }, APP)).toBe(false);
    expect(permissionAllowed('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] }, APP)).toBe(
      false,
    );
    expect(permissionAllowed('media', { mediaTypes: ['video'] }, APP)).toBe(false);
  });
  it('checks the IPC caller is the app page', () => {
    expect(mainSource).toMatch(/isAppUrl\(ev\.senderFrame\.url, indexUrl\)/);
  });
});

describe('preload', () => {
  it('exposes exactly one object and no Electron or Node objects', () => {
    expect(preloadSource.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(preloadSource).toMatch(/exposeInMainWorld\('hashlock', bridge\)/);
    expect(preloadSource).not.toMatch(/require\(|process\.|ipcRenderer\s*[,}]\s*\)/);
  });
});

describe('the packaged app', () => {
  const roles = (packaged: boolean, platform = 'linux') =>
    JSON.stringify(applicationMenu(platform, packaged)).match(/"role":"[^"]+"/g) ?? [];

  it('has no reload and no developer tools in its menu, on every platform', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      const packaged = roles(true, platform).join(' ');
      expect(packaged).not.toMatch(/reload|forceReload|toggleDevTools/);
      expect(packaged).toMatch(/zoomIn/);
    }
    expect(roles(false).join(' ')).toMatch(/toggleDevTools/);
  });

  it('turns developer tools off in the window itself, not only in the menu', () => {
    expect(webPreferencesFor(true).devTools).toBe(false);
    expect(webPreferencesFor(false).devTools).toBe(true);
    expect(webPreferencesFor(true).sandbox).toBe(true);
  });

  it('main.ts builds its menu from applicationMenu with app.isPackaged', () => {
    expect(mainSource).toMatch(/applicationMenu\(process\.platform, app\.isPackaged\)/);
    expect(mainSource).not.toMatch(/role: 'viewMenu'/);
  });
});
