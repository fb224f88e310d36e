// The Web Notifications API, the same in a browser tab and in the Electron window (the shell
// grants the 'notifications' permission). Permission is asked only from a user gesture.

export type NotificationPermissionState = 'granted' | 'denied' | 'default' | 'unsupported';

function api(): typeof Notification | null {
  return typeof Notification === 'function' ? Notification : null;
}

export function notificationPermission(): NotificationPermissionState {
  return api()?.permission ?? 'unsupported';
}

/** Call from a click handler: browsers ignore requests that no gesture started. */
export async function requestNotificationPermission(): Promise<NotificationPermissionState> {
  const N = api();
  if (!N) return 'unsupported';
  try {
    return await N.requestPermission();
  } catch {
    return N.permission;
  }
}

/** Shows a desktop notification if allowed; clicking it brings the app forward at `link`. */
export function showDesktopNotification(n: { title: string; body: string; tag: string; link: string | null }): boolean {
  const N = api();
  if (!N || N.permission !== 'granted') return false;
  try {
    const shown = new N(n.title, { body: n.body, tag: n.tag });
    shown.onclick = () => {
      window.focus();
      if (n.link) window.location.hash = n.link;
      shown.close();
    };
    return true;
  } catch {
    // Some platforms only allow notifications from a service worker; the in-app notice remains.
    return false;
  }
}
