import { spawnSync } from 'node:child_process';
import { arch, platform } from 'node:os';
import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import { VERSION } from '../../version.js';
import { action, print, printJson } from '../context.js';
import { formatObject } from '../objectTemplate.js';
import { withClient } from '../withClient.js';

/** The first line of `TOOL --version`, or undefined where it is not installed. */
function toolVersion(tool: string): string | undefined {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout) return undefined;
  return r.stdout
    .split('\n')[0]
    ?.replace(/^.*?version\s+/i, '')
    .trim();
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

export function registerVersionCommand(program: Command): void {
  program
    .command('version')
    .description('Show the client’s and the engine’s versions, as docker lays them out')
    .option('-f, --format <template>', 'Go template: {{.Client.Version}}, {{json .}} …')
    .option('--json', 'print JSON')
    .action(
      action(async (opts: { format?: string; json?: boolean }, cmd: Command) => {
        // The server is the engine the other commands use: the one serving the store, if any (docker's model).
        const info = await withClient(cmd, (client) => call(client, 'engine.info', {}));
        const osArch = `${platform()}/${GOARCH[arch()] ?? arch()}`;
        const runc = toolVersion('runc');
        const conmon = toolVersion('conmon');
        const version = {
          Client: { Version: VERSION, NodeVersion: process.versions.node, Os: platform(), Arch: GOARCH[arch()] ?? arch() },
          Server: {
            Version: info.version,
            Platform: info.platform,
            Runtime: info.runtime,
            Components: [
              { Name: 'Engine', Version: info.version },
              ...(runc ? [{ Name: 'runc', Version: runc }] : []),
              ...(conmon ? [{ Name: 'conmon', Version: conmon }] : []),
            ],
          },
        };
        if (opts.json) return printJson(version);
        if (opts.format !== undefined) return print(formatObject(opts.format, version));
        const row = (label: string, value: string, indent = ' ') =>
          `${indent}${`${label}:`.padEnd(19 - indent.length + 1)}${value}`;
        print(
          [
            'Client:',
            row('Version', VERSION),
            row('Node version', process.versions.node),
            row('OS/Arch', osArch),
            '',
            'Server: Stevedore Engine',
            ' Engine:',
            row('Version', info.version, '  '),
            row('OS/Arch', info.platform, '  '),
            row('Runtime', info.runtime, '  '),
            ...(runc ? [' runc:', row('Version', runc, '  ')] : []),
            ...(conmon ? [' conmon:', row('Version', conmon, '  ')] : []),
          ].join('\n'),
        );
      }),
    );
}
