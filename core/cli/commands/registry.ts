import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { type Command, InvalidArgumentError } from 'commander';
import { call } from '../../api/engineClient.js';
import { StevedoreError } from '../../errors.js';
import { parseReference, parseRepository, repositoryOf } from '../../oci/reference.js';
import { action, print, printJson } from '../context.js';
import { formatTable } from '../table.js';
import { pullSummary, pushSummary } from '../transferProgress.js';
import { runTransfer } from '../transferRun.js';
import { withClient } from '../withClient.js';

/** `pull -a REPOSITORY`: the repository's name with each tag the registry lists (which refuses a name with a tag or digest). */
async function everyTag(
  ref: string,
  listTags: (repository: string) => Promise<{ repository: string; tags: string[] }>,
): Promise<string[]> {
  const { repository, tags } = await listTags(ref);
  if (tags.length === 0) throw new StevedoreError('NOT_FOUND', `${repository} has no tags to pull`);
  return tags.map((tag) => `${repository}:${tag}`);
}

/** `push -a REPOSITORY`: the store's names in that repository, in name order. */
function localTags(ref: string, images: { reference: string | null }[]): string[] {
  const repository = repositoryOf(parseRepository(ref));
  const names = images.flatMap((image) =>
    image.reference !== null && repositoryOf(parseReference(image.reference)) === repository ? [image.reference] : [],
  );
  if (names.length === 0) throw new StevedoreError('IMAGE_NOT_FOUND', `no tag of ${repository} in the store`);
  return names.sort();
}

/**
 * commander's parser for a count: refused here, in commander's words, rather than sent as NaN,
 * which JSON carries as null (the engine socket would then refuse another value than in-process).
 */
function positiveWholeNumber(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('a whole number above 0 is needed.');
  return Number(value);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on the terminal; a hidden answer is not echoed. */
function ask(question: string, hidden: boolean): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolve(answer);
    });
    muted = hidden;
  });
}

export function registerRegistryCommands(program: Command): void {
  program
    .command('pull')
    .description('Pull an image from a registry')
    .argument('<ref>', 'image reference, e.g. busybox, registry.example:5000/app:1.0, app@sha256:…')
    .option('--platform <os/arch[/variant]>', 'the platform to pull from a multi-platform image (default: this machine)')
    .option('--all-platforms', 'pull every platform of a multi-platform image')
    .option('--insecure', 'allow plain http and unverified TLS for this registry')
    .option('-a, --all-tags', 'pull every tagged image of the repository')
    .option('-q, --quiet', 'print only the name of the image pulled, no progress')
    .action(
      action(
        async (
          ref: string,
          opts: { platform?: string; allPlatforms?: boolean; insecure?: boolean; allTags?: boolean; quiet?: boolean },
          cmd: Command,
        ) => {
          const { platform, allPlatforms, insecure } = opts;
          await withClient(cmd, async (client) => {
            // -a, as docker's: each tag the registry lists, one after the other.
            const refs = opts.allTags
              ? await everyTag(ref, (repository) => call(client, 'registry.tags', { repository, insecure }))
              : [ref];
            for (const one of refs) {
              const args = { ref: one, platform, allPlatforms, insecure };
              const result = await runTransfer(client, 'images.pull', args, process.stdout, !opts.quiet);
              print(opts.quiet ? `${result.reference}\n` : pullSummary(result));
            }
          });
        },
      ),
    );

  program
    .command('push')
    .description('Push an image to a registry')
    .argument('<local>', 'local image name or ID')
    .argument('[remote]', 'where to push, e.g. registry.example:5000/app:1.0 (default: the local name)')
    .option('--insecure', 'allow plain http and unverified TLS for this registry')
    .option('-a, --all-tags', 'push every local tag of the repository')
    .option('-q, --quiet', 'print only the name of the image pushed, no progress')
    .action(
      action(
        async (
          local: string,
          remote: string | undefined,
          opts: { insecure?: boolean; allTags?: boolean; quiet?: boolean },
          cmd: Command,
        ) => {
          if (opts.allTags && remote !== undefined) {
            throw new StevedoreError(
              'INVALID_ARGUMENT',
              '--all-tags pushes each tag under its own name: give the repository alone',
            );
          }
          await withClient(cmd, async (client) => {
            // -a, as docker's: each name the store holds in the repository, one after the other.
            const refs = opts.allTags ? localTags(local, await call(client, 'images.list', {})) : [local];
            for (const ref of refs) {
              const args = { ref, target: remote, insecure: opts.insecure };
              const result = await runTransfer(client, 'images.push', args, process.stdout, !opts.quiet);
              print(opts.quiet ? `${result.reference}\n` : pushSummary(result));
            }
          });
        },
      ),
    );

  program
    .command('login')
    .description("Log in to a registry; saved in Docker's config.json (or its credential helper)")
    .argument('<registry>', 'registry host, e.g. registry.example:5000')
    .option('-u, --username <user>', 'user name')
    .option('--password-stdin', 'read the password from standard input')
    .option('--insecure', 'allow plain http and unverified TLS for this registry')
    .action(
      action(async (registry: string, opts: { username?: string; passwordStdin?: boolean; insecure?: boolean }, cmd: Command) => {
        const interactive = !!process.stdin.isTTY && !opts.passwordStdin;
        let username = opts.username;
        let password: string;
        if (opts.passwordStdin) {
          if (!username) throw new StevedoreError('INVALID_ARGUMENT', '--password-stdin needs --username');
          password = await readStdin();
        } else if (interactive) {
          username ??= (await ask('Username: ', false)).trim();
          password = await ask('Password: ', true);
        } else {
          throw new StevedoreError(
            'INVALID_ARGUMENT',
            'no terminal to ask for the password: use --username and --password-stdin',
          );
        }
        const result = await withClient(cmd, (client) =>
          call(client, 'registry.login', { registry, username: username ?? '', password, insecure: opts.insecure }),
        );
        print(`Login Succeeded (${result.username} at ${result.registry}, saved in ${result.storedIn})`);
      }),
    );

  program
    .command('logout')
    .description('Remove the login for a registry')
    .argument('<registry>', 'registry host')
    .action(
      action(async (registry: string, _o: unknown, cmd: Command) => {
        const result = await withClient(cmd, (client) => call(client, 'registry.logout', { registry }));
        print(result.removed ? `Removing login credentials for ${result.registry}` : `Not logged in to ${result.registry}`);
      }),
    );

  program
    .command('tags')
    .description('List the tags of a repository in a registry')
    .argument('<repository>', 'e.g. registry.example:5000/app')
    .option('--json', 'print JSON')
    .option('--insecure', 'allow plain http and unverified TLS for this registry')
    .action(
      action(async (repository: string, opts: { json?: boolean; insecure?: boolean }, cmd: Command) => {
        const result = await withClient(cmd, (client) => call(client, 'registry.tags', { repository, insecure: opts.insecure }));
        if (opts.json) return printJson(result);
        if (result.tags.length > 0) print(result.tags.join('\n'));
      }),
    );

  program
    .command('catalog')
    .description('List the repositories of a registry (where the registry allows it)')
    .argument('<registry>', 'registry host')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'at most this many', positiveWholeNumber)
    .option('--insecure', 'allow plain http and unverified TLS for this registry')
    .action(
      action(async (registry: string, opts: { json?: boolean; limit?: number; insecure?: boolean }, cmd: Command) => {
        const result = await withClient(cmd, (client) =>
          call(client, 'registry.catalog', { registry, insecure: opts.insecure, limit: opts.limit }),
        );
        if (opts.json) return printJson(result);
        if (result.repositories.length > 0) print(result.repositories.join('\n'));
      }),
    );

  const registries = program.command('registry').description('Registries known to Stevedore: insecure flags and CA certificates');
  registries
    .command('ls')
    .description('List added registries and those with a login')
    .option('--json', 'print JSON')
    .action(
      action(async (opts: { json?: boolean }, cmd: Command) => {
        const list = await withClient(cmd, (client) => call(client, 'registry.list', {}));
        if (opts.json) return printJson(list);
        print(
          formatTable(
            ['REGISTRY', 'INSECURE', 'CA', 'USER'],
            list.map((r) => [r.host, r.insecure ? 'yes' : 'no', r.hasCa ? 'yes' : 'no', r.username ?? '']),
          ),
        );
      }),
    );
  registries
    .command('add')
    .description('Add a registry, or change how to reach it')
    .argument('<registry>', 'registry host')
    .option('--insecure', 'allow plain http and unverified TLS')
    .option('--ca <file>', 'a PEM CA certificate to trust for it')
    .action(
      action(async (registry: string, opts: { insecure?: boolean; ca?: string }, cmd: Command) => {
        // The certificate is read here, from this process's directory; the engine gets its text.
        const caPem = opts.ca ? readFileSync(opts.ca, 'utf8') : undefined;
        const info = await withClient(cmd, (client) =>
          call(client, 'registry.add', { registry, insecure: !!opts.insecure, caPem }),
        );
        print(`Added ${info.host}${info.insecure ? ' (insecure)' : ''}${info.hasCa ? ' with its CA' : ''}`);
      }),
    );
  registries
    .command('rm')
    .description('Forget a registry (its settings and CA; not its login)')
    .argument('<registry>', 'registry host')
    .action(
      action(async (registry: string, _o: unknown, cmd: Command) => {
        const result = await withClient(cmd, (client) => call(client, 'registry.remove', { registry }));
        print(result.removed ? `Removed ${result.registry}` : `${result.registry} was not added`);
      }),
    );
}
