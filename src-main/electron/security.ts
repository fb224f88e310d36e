// The desktop shell's security settings as plain data, kept apart from the electron import so
// tests under plain Node can read exactly what main.ts applies.
import { RENDERER_CSP } from '../api/server.ts';

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

/** Same policy the headless node sends with the renderer; Electron adds it as a response header. */
export const CONTENT_SECURITY_POLICY = RENDERER_CSP;

/** Permissions the renderer may ask for; everything else (geolocation, microphone, ...) is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

/** What Electron tells the permission handler about a request. */
export interface PermissionDetails {
  /** The URL of the frame asking. */
  readonly requestingUrl?: string;
  /** For 'media': 'video' and/or 'audio'. */
  readonly mediaTypes?: readonly string[];
}

/**
 * Whether the window may have a permission. The camera ('media' with video only) is for the Pay
 * page's QR scanner, and only for the app's own page: never the microphone, never another URL.
 */
export function permissionAllowed(permission: string, details: PermissionDetails, appIndexUrl: string): boolean {
  if (ALLOWED_PERMISSIONS.has(permission)) return true;
  if (permission !== 'media') return false;
  const types = details.mediaTypes ?? [];
  return (
    details.requestingUrl !== undefined &&
    isAppUrl(details.requestingUrl, appIndexUrl) &&
    types.length > 0 &&
    types.every((t) => t === 'video')
  );
}

/** The renderer is only ever the packaged index.html; any other URL is refused. */
export function isAppUrl(url: string, appIndexUrl: string): boolean {
  try {
    const u = new URL(url);
    const app = new URL(appIndexUrl);
    return u.protocol === 'file:' && u.pathname === app.pathname;
  } catch {
    return false;
  }
}

/** Navigation away from the app never happens inside the window. */
export function shouldBlockNavigation(targetUrl: string, appIndexUrl: string): boolean {
  return !isAppUrl(targetUrl, appIndexUrl);
}

export const WINDOW_OPEN_RESPONSE = { action: 'deny' } as const;

/** Menu entries as Electron roles. */
export type MenuEntry =
  | { role: 'appMenu' | 'editMenu' | 'windowMenu' }
  | { label: string; submenu: Array<{ role: string } | { type: 'separator' }> };

/**
 * The application menu. A packaged app has no reload (a reload mid-flow would drop what the user
 * typed, and tells nothing a user needs) and no developer tools (a console in the window that
 * shows balances and signs is a door for "paste this to get free coins" scams); both stay in
 * development builds.
 */
export function applicationMenu(platform: string, packaged: boolean): MenuEntry[] {
  const view: MenuEntry = packaged
    ? {
        label: 'View',
        submenu: [
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      }
    : {
        label: 'View',
        submenu: [
          { role: 'reload' },
          { role: 'forceReload' },
          { role: 'toggleDevTools' },
          { type: 'separator' },
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      };
  const menu: MenuEntry[] = [{ role: 'editMenu' }, view, { role: 'windowMenu' }];
  return platform === 'darwin' ? [{ role: 'appMenu' }, ...menu] : menu;
}

/** webPreferences for the window: developer tools only in development builds. */
export function webPreferencesFor(packaged: boolean): typeof WEB_PREFERENCES & { devTools: boolean } {
  return { ...WEB_PREFERENCES, devTools: !packaged };
}
