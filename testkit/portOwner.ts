import { spawnSync } from 'node:child_process';

/**
 * What a local port that does not answer can be told by: who listens on it, and any NAT rule that
 * sends its connections elsewhere (a container's published port: Stevedore's own nft table, and
 * iptables' for other tools), for the error of a test that found it silent.
 */
export function whoHasPort(port: number): string {
  const listening = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' }).stdout?.trim();
  const lines = (command: string, args: string[]) =>
    (spawnSync(command, args, { encoding: 'utf8' }).stdout ?? '').split('\n').map((line) => line.trim());
  const rules = [
    ...lines('nft', ['list', 'ruleset']).filter((line) => line.includes(`dport ${port} `)),
    ...lines('iptables', ['-t', 'nat', '-S']).filter((line) => line.includes(`--dport ${port} `)),
  ];
  return `listening on ${port}: ${listening || 'nothing'}; NAT rules for it: ${rules.join(' | ') || 'none'}`;
}
