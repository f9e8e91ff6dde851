import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import type { NetworkSummary } from '../../api/networks.schema.js';
import { StevedoreError } from '../../errors.js';
import { confirm } from '../confirm.js';
import { action, collect, print, printJson } from '../context.js';
import { type FormatRow, formatRows } from '../formatTemplate.js';
import { inspectEach } from '../inspectEach.js';
import { parseLabelFlags } from '../labelFlags.js';
import { formatTable } from '../table.js';
import { withClient } from '../withClient.js';

/** docker network inspect's shape: an array of these. Containers: the running ones (docker's active endpoints). */
function dockerNetwork(n: NetworkSummary) {
  const prefix = n.subnet?.split('/')[1];
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: n.scope,
    Driver: n.driver,
    EnableIPv6: false,
    IPAM: {
      Driver: 'default',
      Options: null,
      Config: n.subnet ? [{ Subnet: n.subnet, Gateway: n.gateway }] : [],
    },
    Internal: n.internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: Object.fromEntries(
      n.containers
        .filter((c) => c.ipAddress !== null || (n.driver !== 'bridge' && n.driver !== 'pasta'))
        .map((c) => [
          c.id,
          {
            Name: c.name,
            EndpointID: '',
            MacAddress: c.macAddress ?? '',
            IPv4Address: c.ipAddress ? `${c.ipAddress}/${prefix}` : '',
            IPv6Address: '',
          },
        ]),
    ),
    Options: n.bridge ? { 'com.docker.network.bridge.name': n.bridge } : {},
    Labels: n.labels,
  };
}

const FORMAT_HEADERS = {
  ID: 'NETWORK ID',
  Name: 'NAME',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  Internal: 'INTERNAL',
  Labels: 'LABELS',
};

function formatRow(n: NetworkSummary, noTrunc: boolean): FormatRow {
  return {
    ID: noTrunc ? n.id : n.id.slice(0, 12),
    Name: n.name,
    Driver: n.driver,
    Scope: n.scope,
    IPv6: 'false',
    Internal: String(n.internal),
    Labels: Object.entries(n.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    CreatedAt: n.created,
  };
}

/** `--filter name=…|id=…|driver=…|type=custom|builtin|label=K[=V]`, as docker's (all must hold; a key given twice: either value). */
function filterNetworks(networks: NetworkSummary[], filters: string[]): NetworkSummary[] {
  const wanted = new Map<string, string[]>();
  for (const text of filters) {
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    if (!['name', 'id', 'driver', 'type', 'label', 'scope'].includes(key)) {
      throw new StevedoreError('INVALID_ARGUMENT', `invalid filter "${key}": use name, id, driver, type, label or scope`);
    }
    wanted.set(key, [...(wanted.get(key) ?? []), eq < 0 ? '' : text.slice(eq + 1)]);
  }
  const test = (n: NetworkSummary, key: string, value: string): boolean => {
    switch (key) {
      case 'name':
        return n.name.includes(value);
      case 'id':
        return n.id.startsWith(value);
      case 'driver':
        return n.driver === value;
      case 'scope':
        return n.scope === value;
      case 'type':
        return value === 'custom' ? n.userDefined : value === 'builtin' ? !n.userDefined : false;
      default: {
        const [k = '', v] = value.split('=', 2);
        return k in n.labels && (v === undefined || n.labels[k] === v);
      }
    }
  };
  return networks.filter((n) => [...wanted].every(([key, values]) => values.some((value) => test(n, key, value))));
}

/** One verb for each network: its name printed when done, a line of its own for each failure (docker). */
async function eachNetwork(refs: string[], run: (ref: string) => Promise<string>): Promise<number> {
  let failed = 0;
  for (const ref of refs) {
    try {
      print(await run(ref));
    } catch (err) {
      failed++;
      process.stderr.write(`error: ${(err as Error).message}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

export function registerNetworkCommands(program: Command): void {
  const network = program
    .command('network')
    .description('Manage networks: user-defined bridges on which containers find each other by name');

  network
    .command('create')
    .description('Create a bridge network (a free subnet of 10.214.0.0/15 unless --subnet)')
    .argument('<name>', 'network name: [a-zA-Z0-9][a-zA-Z0-9_.-]*')
    .option('-d, --driver <driver>', 'network driver (only bridge)', 'bridge')
    .option('--subnet <cidr>', 'IPv4 subnet, such as 10.220.0.0/24')
    .option('--internal', 'no traffic leaves the network')
    .option('--label <key=value>', 'set a label (repeatable)', collect, [])
    .action(
      action(
        async (name: string, opts: { driver: string; subnet?: string; internal?: boolean; label: string[] }, cmd: Command) => {
          if (opts.driver !== 'bridge') {
            throw new StevedoreError('INVALID_ARGUMENT', `network driver "${opts.driver}" is not supported: only bridge`);
          }
          const labels = parseLabelFlags(opts.label);
          const made = await withClient(cmd, (client) =>
            call(client, 'networks.create', {
              name,
              ...(opts.subnet !== undefined ? { subnet: opts.subnet } : {}),
              internal: opts.internal === true,
              labels,
            }),
          );
          print(made.id);
        },
      ),
    );

  network
    .command('ls')
    .alias('list')
    .description('List networks')
    .option('-q, --quiet', 'print network IDs only')
    .option('-f, --filter <filter>', 'name=, id=, driver=, type=custom|builtin, label=KEY[=VALUE] (repeatable)', collect, [])
    .option('--format <template>', 'Go template: {{.ID}}, {{.Name}}, {{.Driver}}, {{.Scope}}, {{json .}}, table …')
    .option('--no-trunc', 'full network IDs')
    .option('--json', 'print JSON')
    .action(
      action(
        async (opts: { quiet?: boolean; json?: boolean; filter: string[]; format?: string; trunc: boolean }, cmd: Command) => {
          const networks = filterNetworks(await withClient(cmd, (client) => call(client, 'networks.list', {})), opts.filter);
          if (opts.json) return printJson(networks);
          const rows = networks.map((n) => formatRow(n, !opts.trunc));
          if (opts.quiet) return rows.length > 0 ? print(rows.map((r) => r.ID).join('\n')) : undefined;
          if (opts.format !== undefined) {
            const text = formatRows(opts.format, rows, FORMAT_HEADERS);
            return text ? print(text) : undefined;
          }
          print(
            formatTable(
              ['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'],
              rows.map((r) => [r.ID ?? '', r.Name ?? '', r.Driver ?? '', r.Scope ?? '']),
            ),
          );
        },
      ),
    );

  network
    .command('inspect')
    .description('Show networks as docker’s JSON')
    .argument('<networks...>', 'network names or IDs')
    .option('--json', 'print Stevedore’s own shape (with every container that names each)')
    .action(
      action(async (refs: string[], opts: { json?: boolean }, cmd: Command) => {
        return withClient(cmd, (client) =>
          inspectEach(
            refs,
            (ref) => call(client, 'networks.inspect', { ref }),
            (found) => (opts.json ? found : dockerNetwork(found)),
          ),
        );
      }),
    );

  network
    .command('rm')
    .alias('remove')
    .description('Remove networks (refused while a running container is on one; stopped ones are taken off it)')
    .argument('<networks...>', 'network names or IDs')
    .option('-f, --force', 'no error for a network that does not exist')
    .action(
      action(async (refs: string[], opts: { force?: boolean }, cmd: Command) => {
        return withClient(cmd, (client) =>
          eachNetwork(refs, async (ref) => {
            try {
              return (await call(client, 'networks.remove', { ref })).name;
            } catch (err) {
              if (opts.force && err instanceof StevedoreError && err.code === 'NOT_FOUND') return ref;
              throw err;
            }
          }),
        );
      }),
    );

  network
    .command('prune')
    .description('Remove every user-defined network no container names')
    .option('-f, --force', 'do not ask for confirmation')
    .action(
      action(async (opts: { force?: boolean }, cmd: Command) => {
        if (!opts.force) {
          const yes = await confirm(
            'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?',
          );
          if (!yes) return 0;
        }
        const { removed } = await withClient(cmd, (client) => call(client, 'networks.prune', {}));
        if (removed.length > 0) print(['Deleted Networks:', ...removed, ''].join('\n'));
      }),
    );

  network
    .command('connect')
    .description('Connect a container to a network as well (a running one gets the interface at once)')
    .argument('<network>', 'network name or ID')
    .argument('<container>', 'container name or ID')
    .option('--alias <name>', 'another name the container answers to there (repeatable)', collect, [])
    .action(
      action(async (networkRef: string, container: string, opts: { alias: string[] }, cmd: Command) => {
        await withClient(cmd, (client) =>
          call(client, 'networks.connect', { network: networkRef, container, aliases: opts.alias }),
        );
      }),
    );

  network
    .command('disconnect')
    .description('Disconnect a container from a network (a running one loses the interface at once)')
    .argument('<network>', 'network name or ID')
    .argument('<container>', 'container name or ID')
    .option('-f, --force', 'accepted for docker’s sake')
    .action(
      action(async (networkRef: string, container: string, _opts: unknown, cmd: Command) => {
        await withClient(cmd, (client) => call(client, 'networks.disconnect', { network: networkRef, container }));
      }),
    );
}
