import { join } from 'node:path';
import { stevedoreAsync } from '../../testkit/cli';
import type { WrittenImage } from '../../testkit/ociLayout';
import { layoutWithImages, randomLayers } from '../../testkit/registry/fixtures';

const MB = 1_000_000;

/**
 * Puts an image of random (incompressible) layers into a real registry the way a person would:
 * `stevedore load` into a scratch store, then `stevedore push` to `host/repository:tag` for each
 * tag. The registry's own CLI login and CA, if it needs them, must be set up in `seedRoot` first.
 */
export async function pushRandomImage(options: {
  seedRoot: string;
  work: string;
  host: string;
  repository: string;
  tags: string[];
  layerMegabytes: number[];
}): Promise<WrittenImage> {
  const [first, ...more] = options.tags;
  if (!first) throw new Error('pushRandomImage needs a tag');
  const layers = await randomLayers(options.layerMegabytes.map((mb) => Math.round(mb * MB)));
  const layout = join(options.work, `layout-${options.repository.replaceAll('/', '-')}`);
  const [written] = await layoutWithImages(layout, [{ refName: first, layers }]);
  if (!written) throw new Error('no image written');
  const local = `seed/${options.repository}`;
  await cli(options.seedRoot, ['load', '-i', layout, '--name', local]);
  for (const tag of [first, ...more]) {
    await cli(options.seedRoot, ['push', `${local}:${first}`, `${options.host}/${options.repository}:${tag}`]);
  }
  return written;
}

async function cli(root: string, args: string[], input?: string): Promise<string> {
  const r = await stevedoreAsync(root, args, input);
  if (r.code !== 0) throw new Error(`stevedore ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** `stevedore login` from a scratch store, with the password on stdin as a script would. */
export async function cliLogin(root: string, host: string, username: string, password: string): Promise<void> {
  await cli(root, ['login', host, '-u', username, '--password-stdin'], password);
}

/** The tags a repository has, as the CLI lists them. */
export async function cliTags(root: string, repository: string): Promise<string[]> {
  return (JSON.parse(await cli(root, ['tags', repository, '--json'])) as { tags: string[] }).tags;
}
