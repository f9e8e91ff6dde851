import { formatBytes } from '../../../../core/text/humanize';
import { invoke } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';
import { useSubmit } from '../../components/useSubmit';
import type { Removal } from './removalPlan';

const list = (names: string[]) => names.join(', ');

/** One line per image: what goes, what stays and why. */
function RemovalLine({ removal }: { removal: Removal }) {
  const { names, outcome, keptNames, containers } = removal;
  const users = `container${containers.length > 1 ? 's' : ''} ${list(containers)}`;
  return (
    <li className={`removal removal--${outcome}`} data-testid="remove-item" data-outcome={outcome}>
      <strong className="removal__names">{list(names)}</strong>
      <span className="removal__what">
        {outcome === 'delete' && <>deleted ({formatBytes(removal.size)}; layers other images share stay)</>}
        {outcome === 'untag' && (
          <>
            untagged; the image stays: {list(keptNames)} still name{keptNames.length > 1 ? '' : 's'} it
            {containers.length > 0 ? `, and ${users} use${containers.length > 1 ? '' : 's'} it` : ''}
          </>
        )}
        {outcome === 'refused' && (
          <>
            cannot be deleted: it is used by {users}. Remove {containers.length > 1 ? 'them' : 'it'} first.
          </>
        )}
      </span>
    </li>
  );
}

/**
 * Asks before deleting or untagging, naming for each image what goes and what stays (another name
 * or a container holds it); the images containers use are left out, and said so.
 */
export function RemoveImagesDialog({
  removals,
  onDone,
  onClose,
}: {
  removals: Removal[];
  onDone: () => void;
  onClose: () => void;
}) {
  const submit = useSubmit();
  const refs = removals.flatMap((r) => r.refs);
  const deletes = removals.some((r) => r.outcome === 'delete');
  const count = removals.length;
  const title =
    count === 1
      ? `${removals[0]?.outcome === 'untag' ? 'Untag' : 'Delete'} ${list(removals[0]?.names ?? [])}?`
      : `Delete ${count} images?`;
  return (
    <FormDialog
      title={title}
      testIdPrefix="remove-images"
      submit={submit}
      submitLabel={deletes ? 'Delete' : 'Untag'}
      pendingLabel={deletes ? 'Deleting…' : 'Untagging…'}
      ready={refs.length > 0}
      onClose={onClose}
      onSubmit={() =>
        void submit.run(async () => {
          await invoke('images.remove', { refs });
          onDone();
          onClose();
        })
      }
    >
      <ul className="removal-list">
        {removals.map((r) => (
          <RemovalLine key={r.id} removal={r} />
        ))}
      </ul>
    </FormDialog>
  );
}
