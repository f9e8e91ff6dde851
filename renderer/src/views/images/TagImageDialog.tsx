import { useState } from 'react';
import { invoke } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';
import { TextField } from '../../components/form/TextField';
import { useSubmit } from '../../components/useSubmit';
import { checkReference } from '../pull/referenceCheck';
import type { ImageRow } from './imageRows';
import { displayName } from './removalPlan';
import { checkNewTag } from './tagCheck';

/** `stevedore tag`: one more name for the image of a row; the name is checked as it is typed. */
export function TagImageDialog({ row, onClose }: { row: ImageRow; onClose: () => void }) {
  const [target, setTarget] = useState('');
  const submit = useSubmit();
  const problem = checkNewTag(target);
  const check = checkReference(target);

  const onSubmit = () => {
    if (problem !== null || submit.pending) return;
    void submit.run(async () => {
      await invoke('images.tag', { source: row.image.reference ?? row.image.id, target: target.trim() });
      onClose();
    });
  };

  return (
    <FormDialog
      title={`Tag ${displayName(row)}`}
      testIdPrefix="tag"
      onClose={onClose}
      onSubmit={onSubmit}
      submit={submit}
      submitLabel="Tag"
      pendingLabel="Tagging…"
      ready={problem === null}
    >
      <TextField
        label="New name"
        value={target}
        onChange={setTarget}
        error={target !== '' ? problem : null}
        hint={
          problem === null && check.ok ? (
            <>
              Also names it <code data-testid="tag-normalized">{check.reference.normalized}</code>
            </>
          ) : (
            'Such as app:2.0 or registry.example:5000/team/app:1.0; a name another image has moves to this one.'
          )
        }
        mono
        autoFocus
        placeholder="repository:tag"
        testId="tag-target"
      />
    </FormDialog>
  );
}
