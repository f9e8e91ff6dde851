/** Where the page keeps its token: sessionStorage is per origin, and an origin includes the port. */
const STORAGE_KEY = 'stevedore.token';

/**
 * The web bridge's access token. `stevedore ui` prints a URL with `?token=…`; the page takes it
 * from there once, removes it from the address bar (history.replaceState: not in a bookmark, a
 * screen share or a link copied from it), and keeps it in sessionStorage, which no other server
 * on 127.0.0.1 can read (unlike a cookie, which the browser would send to every port) and which
 * a reload of this tab keeps. A tab opened without the token URL has none (undefined).
 */
export function takeAccessToken(location: Location, history: History, storage: Storage | undefined): string | undefined {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl === null) return read(storage);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  write(storage, fromUrl);
  return fromUrl;
}

// A browser may refuse storage (a privacy setting): the token then lives in memory only, and a
// reload needs the printed URL again.
function read(storage: Storage | undefined): string | undefined {
  try {
    return storage?.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function write(storage: Storage | undefined, token: string): void {
  try {
    storage?.setItem(STORAGE_KEY, token);
  } catch {
    // memory only, as above
  }
}
