/** `a/b/c` → `a/b`; a top-level path's parent is the root, ''. */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/**
 * Paths by their parent directory, so that what is below a directory is walked rather than found
 * by searching every path. Directories a layer never listed (a tar may name `a/b/c` alone) are
 * linked all the same. Entries are never unlinked: a caller walks and skips what it no longer has.
 */
export class PathTree {
  private readonly children = new Map<string, Set<string>>();

  constructor(paths: Iterable<string> = []) {
    for (const path of paths) this.add(path);
  }

  add(path: string): void {
    let child = path;
    while (child !== '') {
      const parent = parentPath(child);
      let siblings = this.children.get(parent);
      if (!siblings) {
        siblings = new Set();
        this.children.set(parent, siblings);
      }
      // Linked already, and so are its ancestors.
      if (siblings.has(child)) return;
      siblings.add(child);
      child = parent;
    }
  }

  /** The path and every path below it, each once, in no particular order ('' is the root: everything). */
  *subtree(path: string): Generator<string> {
    const pending = [path];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      yield next;
      const below = this.children.get(next);
      if (below) pending.push(...below);
    }
  }
}
