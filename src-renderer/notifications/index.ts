// The notifications' public surface: the notice stack the shell shows, and the browser's
// notification permission the Settings page asks for.
export { Notifier } from './Notifier.tsx';
export {
  notificationPermission,
  requestNotificationPermission,
  showDesktopNotification,
  type NotificationPermissionState,
} from './permission.ts';
