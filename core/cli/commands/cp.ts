import { mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { StevedoreError } from '../../errors.js';
import { archiveOf, extractArchive, pathKind } from '../../runtime/containerCopy.js';
import { action, engineFor } from '../context.js';

/** docker's split of a cp argument: `NAME:PATH` is in a container; an absolute or `.`-led path, or one without `:`, is here. */
function splitArg(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/') || arg.startsWith('.')) return { path: arg };
  const at = arg.indexOf(':');
  if (at <= 0) return { path: arg };
  return { container: arg.slice(0, at), path: arg.slice(at + 1) || '/' };
}

/** `DIR/.`: the directory's contents rather than the directory itself. */
const contentsOf = (path: string) => /(^|\/)\.$/.test(path);
const withoutDot = (path: string) => path.replace(/\/\.$/, '') || '/';

export function registerCpCommand(program: Command): void {
  program
    .command('cp')
    .description('Copy files between a container and here: cp CONTAINER:SRC DEST|-, or cp SRC|- CONTAINER:DEST')
    .argument('<source>', 'CONTAINER:PATH, a path here, or - for a tar on stdin')
    .argument('<destination>', 'CONTAINER:PATH, a path here, or - for a tar on stdout')
    .option('-a, --archive', 'keep owners (uid and gid) as they are in the source')
    .option('-L, --follow-link', 'copy what a source symlink points to, not the link')
    .option('-q, --quiet', 'print nothing (nothing is printed anyway)')
    .action(
      action(async (sourceArg: string, destArg: string, opts: { archive?: boolean; followLink?: boolean }, cmd: Command) => {
        const source = splitArg(sourceArg);
        const dest = splitArg(destArg);
        if (source.container !== undefined && dest.container !== undefined) {
          throw new StevedoreError('INVALID_ARGUMENT', 'copying between containers is not supported');
        }
        if (source.container === undefined && dest.container === undefined) {
          throw new StevedoreError('INVALID_ARGUMENT', 'must specify at least one container source');
        }
        const copy = engineFor(cmd).containerCopy();
        const keepOwners = opts.archive === true;
        const follow = opts.followLink === true;

        if (source.container !== undefined) {
          const ref = source.container;
          await copy.readArchive(ref, source.path, follow, async (tar, kind, name) => {
            if (destArg === '-') return pipeline(tar, process.stdout, { end: false });
            const target = resolve(dest.path);
            const targetKind = pathKind(target, true);
            const contents = contentsOf(source.path);
            if (targetKind === 'directory') {
              return extractArchive(target, target, tar, { keepOwners, ownerInRoot: false });
            }
            if (targetKind !== undefined && kind === 'directory') {
              throw new StevedoreError('INVALID_ARGUMENT', `cannot copy a directory to a file: ${dest.path}`);
            }
            if (targetKind === undefined && dest.path.endsWith('/') && kind !== 'directory') {
              throw new StevedoreError('NOT_FOUND', `the destination directory ${dest.path} does not exist`);
            }
            const parent = dirname(target);
            if (pathKind(parent, true) !== 'directory') {
              throw new StevedoreError('NOT_FOUND', `the destination directory ${dirname(dest.path)} does not exist`);
            }
            if (contents) {
              mkdirSync(target);
              return extractArchive(target, target, tar, { keepOwners, ownerInRoot: false });
            }
            // The copy takes the destination's name: the archive's top name is rewritten to it.
            return extractArchive(realpathSync(parent), realpathSync(parent), tar, {
              keepOwners,
              ownerInRoot: false,
              rename: { from: name, to: basename(target) },
            });
          });
          return;
        }

        const ref = dest.container!;
        if (sourceArg === '-') return copy.writeArchive(ref, dest.path, process.stdin, { keepOwners });
        const contents = contentsOf(source.path);
        const local = follow ? realpathSync(resolve(source.path)) : resolve(withoutDot(source.path));
        const kind = pathKind(local);
        if (!kind) throw new StevedoreError('NOT_FOUND', `no such file or directory: ${source.path}`);
        const targetKind = await copy.stat(ref, dest.path);
        if (targetKind === 'directory') {
          return copy.writeArchive(ref, dest.path, archiveOf(local, contents), { keepOwners });
        }
        if (targetKind !== undefined && (kind === 'directory' || contents)) {
          throw new StevedoreError('INVALID_ARGUMENT', `cannot copy a directory to a file: ${dest.path}`);
        }
        if (targetKind === undefined && dest.path.endsWith('/') && kind !== 'directory') {
          throw new StevedoreError('NOT_FOUND', `the destination directory ${dest.path} does not exist in container ${ref}`);
        }
        const inContainer = withoutDot(dest.path.replace(/\/+$/, '')) || '/';
        return copy.writeArchive(ref, dirname(inContainer), archiveOf(local, false), {
          keepOwners,
          rename: { from: basename(local), to: basename(inContainer) },
        });
      }),
    );
}
