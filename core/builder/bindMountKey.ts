import { StevedoreError } from '../errors.js';
import { type SourceMatch, selectSources } from './copySources.js';
import type { IgnoreMatcher } from './dockerfile/dockerignore.js';
import type { ResolvedMount } from './dockerfile/instructionTypes.js';

/** What a RUN's bind mount shows the step: its source as COPY selects it, and that selection's checksum. */
export interface BindSelection {
  match: SourceMatch;
  checksum: string;
}

/**
 * What a RUN's bind mount shows the step, for the step's cache key and for the mount itself: the
 * files at its source as COPY selects them, with their checksum (copySources.ts: paths, contents,
 * modes, links; owners from a stage or an image), so that a step reading mounted files runs again
 * when they change, as BuildKit keys such a step. From the context, `.dockerignore` leaves files
 * out of it as it does of a COPY (contextBindSource.ts mounts what it keeps).
 * `sourceRoot`: the context, or the root filesystem of the stage or image it names.
 */
export function selectBindSource(mount: ResolvedMount, sourceRoot: string, ignore: IgnoreMatcher): BindSelection {
  const source = mount.source ?? '/';
  const fromContext = mount.from === undefined;
  try {
    const { matches, checksum } = selectSources({
      sourceRoot,
      fromRootfs: !fromContext,
      ...(fromContext ? { ignore } : {}),
      sources: [source],
      inline: [],
      dest: '/',
    });
    // One source without a wildcard: one match, or NOT_FOUND.
    return { match: matches[0]!, checksum };
  } catch (err) {
    if (!(err instanceof StevedoreError) || err.code !== 'NOT_FOUND') throw err;
    const where = fromContext
      ? 'in the build context, or excluded by .dockerignore'
      : mount.from?.kind === 'image'
        ? `in ${mount.from.ref}`
        : 'in the stage it names';
    throw new StevedoreError('NOT_FOUND', `RUN --mount=type=bind: "${source}" not found (${where})`);
  }
}
