import type { ContainerSummary } from '../../../../../core/api/containers.schema';
import { formatBinaryBytes, formatBytes } from '../../../../../core/text/humanize';
import { Sparkline } from '../../../components/Sparkline';
import { useContainerStatsPolling } from '../../../queries/containerStatsPolling';
import { STATS_SAMPLES, useContainerStatsHistory } from '../../../state/containerStatsStore';
import { formatCpu } from '../ContainerUsage';

const noIds: readonly string[] = [];

/**
 * A running container's CPU and memory as live charts (the last minute), with its network and
 * block I/O and process count, as docker stats shows them; measured while the detail is open.
 */
export function ContainerStatsPanel({ container }: { container: ContainerSummary }) {
  const live = container.state === 'running';
  useContainerStatsPolling(live ? [container.id] : noIds);
  const samples = useContainerStatsHistory(container.id);
  if (!live && container.state !== 'paused') return null;
  const last = samples.at(-1);
  const cpu = samples.map((s) => s.cpuPercent);
  const memory = samples.map((s) => s.memoryUsageBytes);
  return (
    <section className="container-stats" aria-label="Resource use" data-testid="container-stats">
      <div className="container-stats__chart">
        <span className="container-stats__label">CPU</span>
        <strong data-testid="stats-cpu">{last ? formatCpu(last.cpuPercent) : '…'}</strong>
        <Sparkline
          values={cpu}
          max={Math.max(100, ...cpu)}
          capacity={STATS_SAMPLES}
          width={150}
          height={32}
          className="container-stats__line"
          testId="stats-cpu-chart"
        />
      </div>
      <div className="container-stats__chart">
        <span className="container-stats__label">Memory</span>
        <strong data-testid="stats-memory" title={last ? `${last.memoryPercent.toFixed(1)}% of the limit` : undefined}>
          {last ? `${formatBinaryBytes(last.memoryUsageBytes)} / ${formatBinaryBytes(last.memoryLimitBytes)}` : '…'}
        </strong>
        <Sparkline
          values={memory}
          capacity={STATS_SAMPLES}
          width={150}
          height={32}
          className="container-stats__line"
          testId="stats-memory-chart"
        />
      </div>
      <dl className="container-stats__figures">
        <div>
          <dt>Net I/O</dt>
          <dd data-testid="stats-net">{last ? `${formatBytes(last.netRxBytes)} / ${formatBytes(last.netTxBytes)}` : '…'}</dd>
        </div>
        <div>
          <dt>Block I/O</dt>
          <dd data-testid="stats-block">
            {last ? `${formatBytes(last.blockReadBytes)} / ${formatBytes(last.blockWriteBytes)}` : '…'}
          </dd>
        </div>
        <div>
          <dt>PIDs</dt>
          <dd data-testid="stats-pids">{last ? last.pids : '…'}</dd>
        </div>
      </dl>
    </section>
  );
}
