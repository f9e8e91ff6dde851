import { useState } from 'react';
import { invoke } from '../../../api/client';
import { FormDialog } from '../../../components/FormDialog';
import { TextField } from '../../../components/form/TextField';
import { ProgressBar } from '../../../components/ProgressBar';
import { useSubmit } from '../../../components/useSubmit';
import type { ImageRow } from '../imageRows';
import { displayName } from '../removalPlan';
import { checkEnginePath } from './enginePath';

/** What the engine saves a row by: its name, or (an unnamed image) its ID. */
const saveRef = (row: ImageRow) => row.image.reference ?? row.image.id;

/**
 * `stevedore save -o`: the images into one archive (docker's format, which OCI tools read too) at a
 * path on the engine's machine. The engine reports no bytes while it writes, so the bar only says
 * it works; the engine's refusal (a folder that is not there) is one line here.
 */
export function SaveImagesDialog({ rows, onClose }: { rows: readonly ImageRow[]; onClose: () => void }) {
  const [output, setOutput] = useState('');
  const [touched, setTouched] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const submit = useSubmit();
  const problem = checkEnginePath(output, 'file');

  const onSubmit = () => {
    if (saved) return onClose();
    setTouched(true);
    if (problem !== null || submit.pending) return;
    void submit.run(async () => {
      const result = await invoke('images.save', { refs: rows.map(saveRef), output: output.trim() });
      setSaved(result.output);
    });
  };

  return (
    <FormDialog
      title={rows.length === 1 ? 'Save an image' : `Save ${rows.length} images`}
      description={
        <>
          Writes{' '}
          {rows.map((r, i) => (
            <span key={r.key}>
              {i > 0 && ', '}
              <code>{displayName(r)}</code>
            </span>
          ))}{' '}
          into one archive that <code>stevedore load</code> and <code>docker load</code> read.
        </>
      }
      testIdPrefix="save"
      onClose={onClose}
      onSubmit={onSubmit}
      submit={submit}
      submitLabel={saved ? 'Done' : 'Save'}
      pendingLabel="Saving…"
      ready={saved !== null || problem === null}
    >
      <TextField
        label="Save to"
        value={output}
        onChange={(text) => {
          setOutput(text);
          setTouched(true);
          setSaved(null);
        }}
        error={touched && output !== '' ? problem : null}
        hint="A file’s full path on the engine’s machine; its folder must exist."
        mono
        autoFocus
        placeholder="/home/me/images/app.tar"
        testId="save-output"
      />
      {submit.pending && <ProgressBar value={null} label="Saving" />}
      {saved && (
        <p className="form-result" role="status" data-testid="save-result">
          Saved to <code>{saved}</code>.
        </p>
      )}
    </FormDialog>
  );
}
