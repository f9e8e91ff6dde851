/**
 * Which web permissions the app's own page gets: only notifications, so that a long pull, push or
 * build ending in the background is told by the OS (the renderer uses the web Notification API,
 * which Electron shows as a native notification). Everything else (camera, microphone, location,
 * openExternal, ...) is refused, and so is any page that is not the app's.
 */
export function grantsPermission(
  isAppPage: (url: string | undefined) => boolean,
  permission: string,
  requestingUrl: string | undefined,
): boolean {
  return permission === 'notifications' && isAppPage(requestingUrl);
}
