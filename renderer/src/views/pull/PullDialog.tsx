import { useId, useState } from 'react';
import { Dialog, DialogActions, FormField } from '../../components/Dialog';
import { useSubmit } from '../../components/useSubmit';
import { useEngineInfo } from '../../queries/engineQueries';
import { startPull, whenUnderway } from '../../queries/transferActions';
import { ALL, commonPlatforms, HOST, platformArgs } from './platformChoices';
import { checkReference } from './referenceCheck';

/**
 * Pull an image by name. The name is checked as it is typed; Pull starts the transfer and the
 * dialog closes once the engine is under way (the Transfers view shows the rest), or shows the
 * engine's error (no such tag, login required) so that it can be fixed here.
 */
export function PullDialog({ initialReference = '', onClose }: { initialReference?: string; onClose: () => void }) {
  const info = useEngineInfo();
  const [reference, setReference] = useState(initialReference);
  const [touched, setTouched] = useState(initialReference !== '');
  const [platform, setPlatform] = useState(HOST);
  const submit = useSubmit();
  const referenceId = useId();
  const referenceHintId = useId();
  const platformId = useId();

  const check = checkReference(reference);
  const problem = touched && !check.ok ? check.problem : null;
  const hint = check.ok ? (
    <>
      Pulls <code data-testid="pull-normalized">{check.reference.normalized}</code>
    </>
  ) : (
    'Such as busybox, ghcr.io/owner/app:1.0 or registry.example:5000/team/app@sha256:…'
  );

  const onSubmit = () => {
    setTouched(true);
    if (!check.ok || submit.pending) return;
    void submit.run(async () => {
      await whenUnderway(startPull({ ref: reference.trim(), ...platformArgs(platform) }));
      onClose();
    });
  };

  return (
    <Dialog
      title="Pull an image"
      testId="pull-dialog"
      onClose={onClose}
      onSubmit={onSubmit}
      actions={
        <DialogActions
          onCancel={onClose}
          label="Pull"
          pendingLabel="Starting…"
          pending={submit.pending}
          ready={check.ok}
          testId="pull-submit"
        />
      }
    >
      <FormField label="Image" htmlFor={referenceId} hintId={referenceHintId} hint={hint} error={problem}>
        <input
          id={referenceId}
          className="text-input"
          value={reference}
          data-autofocus
          autoComplete="off"
          spellCheck={false}
          placeholder="registry/repository:tag"
          aria-invalid={problem !== null}
          aria-describedby={referenceHintId}
          data-testid="pull-reference"
          onChange={(e) => {
            setReference(e.target.value);
            setTouched(true);
            submit.setError(null);
          }}
        />
      </FormField>
      <div className="form-field">
        <label htmlFor={platformId} className="form-field__label">
          Platform
        </label>
        <select
          id={platformId}
          className="select-input"
          value={platform}
          data-testid="pull-platform"
          onChange={(e) => setPlatform(e.target.value)}
        >
          <option value={HOST}>This machine{info.data ? ` (${info.data.platform})` : ''}</option>
          {commonPlatforms
            .filter((p) => p !== info.data?.platform)
            .map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          <option value={ALL}>All platforms</option>
        </select>
      </div>
      {submit.error && (
        <p className="form-error" role="alert" data-testid="pull-error">
          {submit.error}
        </p>
      )}
    </Dialog>
  );
}
