import type { ContainerSummary } from '../../../../core/api/containers.schema';
import { containerStatus } from '../../../../core/text/humanize';
import { useNow } from '../../components/useNow';
import { type ContainerAction, pendingLabel, usePendingAction } from '../../queries/containerActions';

/**
 * docker ps's STATUS ("Up 3 minutes", "Exited (0) 2 minutes ago"), ticking; what is under way while
 * an action runs. The health check's verdict, which ps adds in brackets, is a badge after it.
 */
export function ContainerStatus({ container }: { container: ContainerSummary }) {
  const now = useNow();
  const pending: ContainerAction | null = usePendingAction(container.id);
  const health = !pending && container.state === 'running' ? container.health : null;
  return (
    <span className="container-status" data-testid="container-status" title={container.error ?? undefined}>
      {pending ? pendingLabel[pending] : containerStatus({ ...container, health: null }, now)}
      {health ? (
        <span className={`health-badge is-${health}`} data-testid="container-health" data-health={health}>
          {health === 'starting' ? 'health: starting' : health}
        </span>
      ) : null}
    </span>
  );
}
