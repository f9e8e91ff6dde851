import { StevedoreLogo } from '../components/icons';

/**
 * Web mode opened without the access token (a bookmark, a new tab at the bare address): the
 * engine would refuse every call, so this says how to get in rather than reconnecting for ever.
 */
export function AccessNeeded() {
  return (
    <main className="access-needed" data-testid="access-needed" aria-labelledby="access-needed-title">
      <div className="access-needed__card">
        <StevedoreLogo />
        <h1 id="access-needed-title">Open Stevedore from its link</h1>
        <p>
          This address needs the access token that <code>stevedore ui</code> prints with its URL. Open that URL from your
          terminal; this tab keeps the token after that, across reloads and restarts of <code>stevedore ui</code>.
        </p>
      </div>
    </main>
  );
}
