import type { ContainerSummary } from '../../../../core/api/containers.schema';
import { containerStatus } from '../../../../core/api/humanize';
import { useNow } from '../../components/useNow';
import { type ContainerAction, pendingLabel, usePendingAction } from '../../queries/containerActions';

/** docker ps's STATUS ("Up 3 minutes", "Exited (0) 2 minutes ago"), ticking; what is under way while an action runs. */
export function ContainerStatus({ container }: { container: ContainerSummary }) {
  const now = useNow();
  const pending: ContainerAction | null = usePendingAction(container.id);
  return (
    <span className="container-status" data-testid="container-status" title={container.error ?? undefined}>
      {pending ? pendingLabel[pending] : containerStatus(container, now)}
    </span>
  );
}
