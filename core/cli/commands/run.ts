import type { Command } from 'commander';
import { describeError, StevedoreError } from '../../errors.js';
import { action, engineFor } from '../context.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Run a command in a new container, in the foreground, and remove it when it ends')
    .argument('<image>', 'image name or ID')
    .argument('[command...]', 'command and arguments (default: the image’s Entrypoint and Cmd)')
    .option('--rm', 'remove the container when it exits (required for now: containers are not kept yet)')
    .option('-e, --env <K=V>', 'set an environment variable (repeatable)', collect, [])
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-u, --user <user[:group]>', 'user name or uid, as in the image’s /etc/passwd')
    .option('--entrypoint <cmd>', 'override the image’s Entrypoint')
    .option('--hostname <name>', 'container host name')
    .passThroughOptions()
    .action(
      action(
        async (image: string, command: string[], opts: Record<string, string | string[] | boolean | undefined>, cmd: Command) => {
          if (!opts.rm) {
            throw new StevedoreError(
              'INVALID_ARGUMENT',
              'run without --rm is not available yet: Stevedore does not keep containers yet',
            );
          }
          try {
            return await engineFor(cmd).runForeground(image, {
              cmd: command,
              env: opts.env as string[],
              ...(typeof opts.workdir === 'string' ? { workdir: opts.workdir } : {}),
              ...(typeof opts.user === 'string' ? { user: opts.user } : {}),
              ...(typeof opts.entrypoint === 'string' ? { entrypoint: opts.entrypoint } : {}),
              ...(typeof opts.hostname === 'string' ? { hostname: opts.hostname } : {}),
            });
          } catch (err) {
            const exitCode = (err as { exitCode?: number }).exitCode;
            if (exitCode === undefined) throw err;
            // docker's code for a command that is not in the image: 127.
            process.stderr.write(`error: ${describeError(err).message}\n`);
            return exitCode;
          }
        },
      ),
    );
}
