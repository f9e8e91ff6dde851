import { StevedoreError } from '../errors.js';
import type { Scope } from './auth/scope.js';
import type { RegistryClient } from './client.js';
import { discard } from './http.js';

/**
 * distribution answers MANIFEST_UNKNOWN for a tag of a repository it does not have at all (its
 * tag store reports an unknown tag either way), so a manifest's 404 alone cannot tell "no such
 * tag" from "no such repository". The tags list can: it answers NAME_UNKNOWN for a repository it
 * does not know (distribution-spec, "Listing Tags"). When it does, that is the error to show;
 * anything else (the list answers, or is refused) leaves the manifest's error as it was.
 */
export async function missingManifestError(
  client: RegistryClient,
  repository: string,
  scopes: Scope[],
  err: unknown,
  signal?: AbortSignal,
): Promise<unknown> {
  if (!(err instanceof StevedoreError) || err.code !== 'IMAGE_NOT_FOUND') return err;
  try {
    const res = await client.request({
      method: 'GET',
      path: `/v2/${repository}/tags/list?n=1`,
      scopes,
      ...(signal ? { signal } : {}),
      context: { repository },
      retry: false,
    });
    discard(res);
    return err;
  } catch (listErr) {
    return listErr instanceof StevedoreError && listErr.code === 'IMAGE_NOT_FOUND' ? listErr : err;
  }
}
