import { useState } from 'react';
import { Dialog, DialogActions } from '../../components/Dialog';
import { TextField } from '../../components/form/TextField';
import { useVolumeCreate } from '../../queries/volumeQueries';

/** A new local volume; no name makes a random one (as docker volume create). The engine checks the name. */
export function CreateVolumeDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const create = useVolumeCreate();
  return (
    <Dialog
      title="Create a volume"
      testId="create-volume-dialog"
      onClose={onClose}
      onSubmit={() => create.mutate(name.trim(), { onSuccess: onClose })}
      actions={
        <DialogActions
          onCancel={onClose}
          label="Create"
          pendingLabel="Creating…"
          pending={create.isPending}
          testId="create-volume-submit"
        />
      }
    >
      <TextField
        label="Name"
        value={name}
        onChange={setName}
        placeholder="Leave empty for a random name"
        testId="volume-name"
        mono
        autoFocus
      />
    </Dialog>
  );
}
