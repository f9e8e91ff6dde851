import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Which repositories are known to hold a blob: those it was pulled from or pushed to. A push
 * mounts a blob from one of them (same registry) instead of uploading it again. One line per
 * fact, appended: lines are short, so concurrent appends from several processes do not tear.
 */
export class BlobLocations {
  readonly file: string;

  constructor(root: string) {
    this.file = join(root, 'registry', 'blob-locations');
  }

  record(host: string, repository: string, digests: Iterable<string>): void {
    const lines = [...new Set(digests)].map((d) => `${d} ${host}/${repository}\n`).join('');
    if (!lines) return;
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, lines);
  }

  /** Repositories of this host known to hold the blob, the most recently recorded first. */
  repositoriesHolding(host: string, digest: string): string[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const prefix = `${digest} ${host}/`;
    const repos: string[] = [];
    for (const line of text.split('\n')) if (line.startsWith(prefix)) repos.push(line.slice(prefix.length));
    return [...new Set(repos.reverse())];
  }
}
