import { z } from 'zod';

/** One entry of a directory in a container's root filesystem (`containers.files`), as lstat sees it. */
export const containerFile = z.object({
  name: z.string(),
  /** The path from the container's `/`. */
  path: z.string(),
  type: z.enum(['directory', 'file', 'symlink', 'other']),
  size: z.number().int().min(0),
  /** The permission bits and setuid/setgid/sticky (st_mode & 0o7777). */
  mode: z.number().int().min(0),
  mtime: z.string(),
  /** A symlink's target, as written. */
  linkTarget: z.string().nullable(),
});
export type ContainerFile = z.infer<typeof containerFile>;

export const containerDirectory = z.object({
  path: z.string(),
  entries: z.array(containerFile),
  /** Entries beyond the limit were left out (a directory of many thousands). */
  truncated: z.boolean(),
});
export type ContainerDirectory = z.infer<typeof containerDirectory>;

/** `docker diff`'s line: A added, C changed, D deleted, against the image. */
export const containerChange = z.object({ kind: z.enum(['A', 'C', 'D']), path: z.string() });
export type ContainerChange = z.infer<typeof containerChange>;
