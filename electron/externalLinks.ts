/**
 * Links the window hands to the system browser: https anywhere, and http only to this machine
 * (a container's published port, `http://localhost:8080`). Nothing else leaves the app.
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
  return parsed.hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(parsed.hostname) || parsed.hostname === '[::1]';
}
