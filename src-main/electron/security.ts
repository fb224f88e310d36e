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

/** Permissions the renderer may ask for; everything else (camera, geolocation, ...) is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

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
