import { matchImage } from '../api/imageMatch.js';
import type { ImageSummary } from '../api/images.schema.js';
import { BadPatternError, goPathPattern } from '../builder/goPathMatch.js';
import { StevedoreError } from '../errors.js';
import type { DockerSizes } from '../snapshots/dockerSizes.js';
import { formatBytes, relativeTime, shortId } from '../text/humanize.js';
import { dockerTimestamp } from './dockerTime.js';
import { parseFilters, passesFilters } from './filterFlags.js';
import type { FormatRow } from './formatTemplate.js';
import { matchesLabel } from './labelFilter.js';
import { parseLogBound } from './logWindow.js';

/** The filters `images --filter` knows, as docker names them. */
const IMAGE_FILTERS = ['dangling', 'reference', 'before', 'since', 'label', 'until'];

/** `--format`'s fields for an image and the headers `table` prints for them, as docker's. */
export const IMAGE_FORMAT_HEADERS: Record<string, string> = {
  ID: 'IMAGE ID',
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  VirtualSize: 'SIZE',
  ContentSize: 'CONTENT SIZE',
  SharedSize: 'SHARED SIZE',
  UniqueSize: 'UNIQUE SIZE',
};

/** A size as docker prints it; `N/A` where it is not known, as docker's -1. */
export function dockerSize(bytes: number | null): string {
  return bytes === null ? 'N/A' : formatBytes(bytes);
}

/**
 * docker's fields for an image: `Size` (and its old name `VirtualSize`) unpacked, `SharedSize` the
 * unpacked part other images share, `UniqueSize` the rest; `ContentSize` (docker's `--tree` column)
 * the layers as stored, compressed.
 */
export function imageFormatRow(image: ImageSummary, fullIds: boolean, sizes: DockerSizes | undefined): FormatRow {
  const size = sizes?.size ?? null;
  const shared = sizes?.sharedSize ?? null;
  return {
    ID: fullIds ? image.id : shortId(image.id),
    Repository: image.repository,
    Tag: image.tag,
    Digest: image.digest,
    CreatedSince: relativeTime(image.created),
    CreatedAt: dockerTimestamp(image.created),
    Size: dockerSize(size),
    VirtualSize: dockerSize(size),
    ContentSize: formatBytes(image.size),
    SharedSize: dockerSize(shared),
    UniqueSize: dockerSize(size === null || shared === null ? null : size - shared),
  };
}

/** Whether the filters need images' labels (from their configs, which the list does not carry). */
export function filtersNeedLabels(flags: string[]): boolean {
  return parseFilters(flags, IMAGE_FILTERS).has('label');
}

/**
 * What `images [REPOSITORY[:TAG]] [--filter …]` keeps, as docker: the argument names a repository
 * (and tag) exactly; `reference` matches a glob (Go's path.Match) against `repo:tag` or the
 * repository alone; `dangling=true` keeps untagged images; `before`/`since` compare creation times
 * with a named image's (found as every command finds an image: `busybox` is busybox:latest);
 * `label=KEY[=VALUE]` against the config's labels, given by `labelsOf`, every label filter matching;
 * `until` keeps images created before a time or a duration back from now (logs --until's forms).
 */
export function selectImages(
  images: ImageSummary[],
  repository: string | undefined,
  flags: string[],
  labelsOf: (image: ImageSummary) => Record<string, string> | undefined = () => undefined,
): ImageSummary[] {
  const filters = parseFilters(flags, IMAGE_FILTERS);
  const anchors = new Map<string, number>();
  const createdOf = (ref: string): number => {
    let time = anchors.get(ref);
    if (time === undefined) {
      const match = matchImage(images, ref, (i) => ({
        names: i.reference === null ? [] : [i.reference],
        id: i.id,
        digests: [i.digest],
      }));
      if (match.kind === 'ambiguous') {
        throw new StevedoreError('CONFLICT', `"${ref}" matches more than one image; give more characters of the ID`);
      }
      if (match.kind === 'none') throw new StevedoreError('IMAGE_NOT_FOUND', `no such image: ${ref}`);
      time = Date.parse(match.image.created ?? '');
      anchors.set(ref, time);
    }
    return time;
  };
  const labels = filters.get('label') ?? [];
  const now = Date.now();
  const patterns = new Map<string, RegExp>();
  const patternOf = (glob: string): RegExp => {
    let re = patterns.get(glob);
    if (!re) {
      try {
        re = goPathPattern(glob);
      } catch (err) {
        if (err instanceof BadPatternError)
          throw new StevedoreError('INVALID_ARGUMENT', `invalid reference filter "${glob}": ${err.message}`);
        throw err;
      }
      patterns.set(glob, re);
    }
    return re;
  };
  return images.filter((image) => {
    if (repository !== undefined && !matchesName(image, repository)) return false;
    return passesFilters(image, filters, (i, key, value) => {
      switch (key) {
        case 'dangling':
          return dangling(value) === (i.reference === null);
        case 'reference': {
          const re = patternOf(value);
          return i.reference !== null && (re.test(`${i.repository}:${i.tag}`) || re.test(i.repository));
        }
        case 'before':
          return Date.parse(i.created ?? '') < createdOf(value);
        case 'until':
          return Date.parse(i.created ?? '') < parseLogBound('until', value, now);
        case 'label':
          // docker's label filters must all match (the other keys' values are alternatives).
          return labels.every((label) => matchesLabel(labelsOf(i), label));
        default:
          return Date.parse(i.created ?? '') > createdOf(value);
      }
    });
  });
}

/** `busybox` names every tag of the repository; `busybox:1.36` that tag. */
function matchesName(image: ImageSummary, name: string): boolean {
  if (image.reference === null) return false;
  if (image.repository === name) return true;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') && image.repository === name.slice(0, colon) && image.tag === name.slice(colon + 1);
}

function dangling(value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new StevedoreError('INVALID_ARGUMENT', `invalid filter "dangling=${value}": expected true or false`);
}
