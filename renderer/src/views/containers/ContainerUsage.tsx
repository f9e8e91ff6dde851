import type { ContainerState } from '../../../../core/api/containers.schema';
import { formatBinaryBytes } from '../../../../core/text/humanize';
import { Sparkline } from '../../components/Sparkline';
import { STATS_SAMPLES, useContainerStatsHistory } from '../../state/containerStatsStore';

/** CPU as docker stats prints it: percent of one CPU. */
export function formatCpu(percent: number): string {
  return `${percent.toFixed(1)}%`;
}

/**
 * A list row's CPU (with its recent line) and memory, from the samples the list keeps taking
 * (useContainerStatsPolling); a dash for a container that is not running.
 */
export function ContainerUsage({ id, state }: { id: string; state: ContainerState }) {
  const samples = useContainerStatsHistory(id);
  const last = samples.at(-1);
  if (state !== 'running' && state !== 'paused') return <span className="container-usage is-none">—</span>;
  const cpu = samples.map((s) => s.cpuPercent);
  return (
    <span
      className="container-usage"
      title={
        last
          ? `CPU ${formatCpu(last.cpuPercent)} · memory ${formatBinaryBytes(last.memoryUsageBytes)} of ${formatBinaryBytes(last.memoryLimitBytes)}`
          : 'Measuring…'
      }
    >
      <Sparkline
        values={cpu}
        max={Math.max(100, ...cpu)}
        capacity={STATS_SAMPLES / 2}
        width={44}
        height={16}
        testId="container-cpu-sparkline"
      />
      <span className="container-usage__figures">
        <span className="container-usage__cpu" data-testid="container-cpu">
          {last ? formatCpu(last.cpuPercent) : '…'}
        </span>
        <span className="container-usage__memory" data-testid="container-memory">
          {last ? formatBinaryBytes(last.memoryUsageBytes) : ''}
        </span>
      </span>
    </span>
  );
}
