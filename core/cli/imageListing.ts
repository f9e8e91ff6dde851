import { formatBytes, relativeTime, shortId } from '../api/humanize.js';
import type { ImageSummary } from '../api/images.schema.js';
import { BadPatternError, goPathPattern } from '../builder/goPathMatch.js';
import { StevedoreError } from '../errors.js';
import { dockerTimestamp } from './dockerTime.js';
import { parseFilters, passesFilters } from './filterFlags.js';
import type { FormatRow } from './formatTemplate.js';

/** The filters `images --filter` knows, as docker names them. */
const IMAGE_FILTERS = ['dangling', 'reference', 'before', 'since'];

/** `--format`'s fields for an image and the headers `table` prints for them, as docker's. */
export const IMAGE_FORMAT_HEADERS: Record<string, string> = {
  ID: 'IMAGE ID',
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  SharedSize: 'SHARED SIZE',
};

export function imageFormatRow(image: ImageSummary, fullIds: boolean): FormatRow {
  return {
    ID: fullIds ? image.id : shortId(image.id),
    Repository: image.repository,
    Tag: image.tag,
    Digest: image.digest,
    CreatedSince: relativeTime(image.created),
    CreatedAt: dockerTimestamp(image.created),
    Size: formatBytes(image.size),
    SharedSize: formatBytes(image.sharedSize),
  };
}

/**
 * What `images [REPOSITORY[:TAG]] [--filter …]` keeps, as docker: the argument names a repository
 * (and tag) exactly; `reference` matches a glob (Go's path.Match) against `repo:tag` or the
 * repository alone; `dangling=true` keeps untagged images; `before`/`since` compare creation times
 * with a named image's.
 */
export function selectImages(images: ImageSummary[], repository: string | undefined, flags: string[]): ImageSummary[] {
  const filters = parseFilters(flags, IMAGE_FILTERS);
  const anchors = new Map<string, number>();
  const createdOf = (ref: string): number => {
    let time = anchors.get(ref);
    if (time === undefined) {
      const anchor = images.find((i) => matchesName(i, ref) || i.id === ref || shortId(i.id) === ref.replace(/^sha256:/, ''));
      if (!anchor) throw new StevedoreError('IMAGE_NOT_FOUND', `no such image: ${ref}`);
      time = Date.parse(anchor.created ?? '');
      anchors.set(ref, time);
    }
    return time;
  };
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
