import { useState } from 'react';
import type { ContainerSummary } from '../../../../core/api/containers.schema';
import { KillIcon, PauseIcon, PlayIcon, RestartIcon, StopIcon, TrashIcon } from '../../components/containerIcons';
import { type ContainerAction, pendingLabel, useContainerAction, usePendingAction } from '../../queries/containerActions';
import { RemoveContainerDialog } from './RemoveContainerDialog';

const verbs: Record<ContainerAction, string> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  kill: 'Kill',
  pause: 'Pause',
  unpause: 'Resume',
  remove: 'Remove',
};
const icons = {
  start: PlayIcon,
  stop: StopIcon,
  restart: RestartIcon,
  kill: KillIcon,
  pause: PauseIcon,
  unpause: PlayIcon,
  remove: TrashIcon,
};

/**
 * Start (when it is not running), pause, stop, kill and restart (when it is), resume (when it is paused:
 * its processes are frozen, so it is thawed rather than stopped), and remove (after asking): as
 * icons in a list row, as labelled buttons in the detail's header. Every button says which
 * container it acts on, and all wait while one action runs.
 */
export function ContainerActions({
  container,
  labelled = false,
  onRemoved,
}: {
  container: ContainerSummary;
  /** Words beside the icons (the detail header), rather than icons alone (a row). */
  labelled?: boolean;
  onRemoved?: () => void;
}) {
  const action = useContainerAction(container.id);
  const pending = usePendingAction(container.id);
  const [confirming, setConfirming] = useState(false);
  const running = container.state === 'running';
  const paused = container.state === 'paused';
  // Kill (SIGKILL, no grace period) is in the detail's header only: a row keeps its four icons.
  const kill: ContainerAction[] = labelled ? ['kill'] : [];
  const shown: ContainerAction[] = running
    ? ['pause', 'stop', ...kill, 'restart', 'remove']
    : paused
      ? ['unpause', ...kill, 'remove']
      : ['start', 'remove'];

  const act = (what: ContainerAction) => {
    if (what === 'remove') setConfirming(true);
    else action.mutate({ action: what });
  };

  return (
    <div className={`container-actions${labelled ? ' is-labelled' : ''}`}>
      {shown.map((what) => {
        const Icon = icons[what];
        const name = `${verbs[what]} ${container.name}`;
        return (
          <button
            key={what}
            type="button"
            className={
              labelled ? `button button--small button--with-icon${what === 'remove' ? ' button--danger' : ''}` : 'icon-button'
            }
            aria-label={name}
            title={pending === what ? pendingLabel[what] : name}
            disabled={pending !== null}
            data-testid={`container-${what}`}
            onClick={(e) => {
              e.stopPropagation();
              act(what);
            }}
          >
            <Icon />
            {labelled && (pending === what ? pendingLabel[what] : verbs[what])}
          </button>
        );
      })}
      {confirming && (
        <RemoveContainerDialog
          container={container}
          onClose={() => setConfirming(false)}
          onConfirm={() =>
            // mutateAsync, not mutate's callbacks: the detail may unmount (its container gone) before the answer.
            action.mutateAsync({ action: 'remove', force: running || paused }).then(
              () => onRemoved?.(),
              () => {}, // the error banner has it
            )
          }
        />
      )}
    </div>
  );
}
