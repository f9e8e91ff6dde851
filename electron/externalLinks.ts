import { isLoopbackHost } from '../core/registry/tls.js';

/**
 * Links the window hands to the system browser: https anywhere, and http only to this machine
 * (a container's published port, `http://localhost:8080`; the registries' own loopback rule:
 * localhost, *.localhost, 127.0.0.0/8 and ::1). Nothing else leaves the app.
 */
export function opensExternally(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  if (parsed.protocol !== 'http:') return false;
  return isLoopbackHost(parsed.hostname);
}
