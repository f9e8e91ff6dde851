import { useState } from 'react';
import type { LoadResult } from '../../../../../core/api/images.schema';
import { FormDialog } from '../../../components/FormDialog';
import { TextField } from '../../../components/form/TextField';
import { useSubmit } from '../../../components/useSubmit';
import { startLoad } from '../../../queries/transferActions';
import { holdFailure } from '../../../state/transferStore';
import { checkEnginePath } from './enginePath';
import { TransferProgressBar } from './TransferProgressBar';

/**
 * `stevedore load` from the app: an OCI layout directory, an OCI archive or a docker archive
 * (gzipped or not), by its path on the engine's machine. The bar follows the engine's progress
 * events for this load; the engine's refusal (no such file, not an archive) is one line here, and
 * a failed load leaves the store as it was (the engine's load is all or nothing).
 */
export function LoadImagesDialog({ onClose }: { onClose: () => void }) {
  const [path, setPath] = useState('');
  const [touched, setTouched] = useState(false);
  const [name, setName] = useState('');
  const [transferId, setTransferId] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<LoadResult | null>(null);
  const submit = useSubmit();
  const problem = checkEnginePath(path, 'archive');

  const onSubmit = () => {
    if (loaded) return onClose();
    setTouched(true);
    if (problem !== null || submit.pending) return;
    setLoaded(null);
    void submit.run(async () => {
      const started = startLoad({ path: path.trim(), ...(name.trim() ? { name: name.trim() } : {}) });
      // This dialog shows the load's failure: no toast or badge says it again.
      holdFailure(started.transferId);
      setTransferId(started.transferId);
      try {
        setLoaded(await started.loaded);
      } catch (err) {
        setTransferId(null);
        throw err;
      }
    });
  };

  return (
    <FormDialog
      title="Load images"
      description="From an OCI image layout (a folder), an OCI archive or a docker save archive, on the engine’s machine."
      testIdPrefix="load"
      onClose={onClose}
      onSubmit={onSubmit}
      submit={submit}
      submitLabel={loaded ? 'Done' : 'Load'}
      pendingLabel="Loading…"
      ready={loaded !== null || problem === null}
    >
      <TextField
        label="Archive or layout"
        value={path}
        onChange={(text) => {
          setPath(text);
          setTouched(true);
          setLoaded(null);
        }}
        error={touched && path !== '' ? problem : null}
        hint="Its full path on the engine’s machine."
        mono
        autoFocus
        placeholder="/home/me/images/app.tar"
        testId="load-path"
      />
      <TextField
        label="Repository for unnamed images"
        value={name}
        onChange={setName}
        hint="Empty: named after the file, as stevedore load does."
        mono
        placeholder="localhost/app"
        testId="load-name"
      />
      {transferId && <TransferProgressBar transferId={transferId} label="Loaded" testId="load-progress" />}
      {loaded && (
        <p className="form-result" role="status" data-testid="load-result">
          Loaded {loaded.images.length} {loaded.images.length === 1 ? 'image' : 'images'}
          {loaded.references.length > 0 ? `: ${loaded.references.join(', ')}` : ' (unnamed)'}.
        </p>
      )}
    </FormDialog>
  );
}
