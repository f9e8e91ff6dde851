import { useState } from 'react';
import { FormDialog } from '../../components/FormDialog';
import { SelectField } from '../../components/form/SelectField';
import { TextField } from '../../components/form/TextField';
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
    <FormDialog
      title="Pull an image"
      testIdPrefix="pull"
      onClose={onClose}
      onSubmit={onSubmit}
      submit={submit}
      submitLabel="Pull"
      pendingLabel="Starting…"
      ready={check.ok}
    >
      <TextField
        label="Image"
        value={reference}
        onChange={(text) => {
          setReference(text);
          setTouched(true);
        }}
        hint={hint}
        error={problem}
        autoFocus
        placeholder="registry/repository:tag"
        testId="pull-reference"
      />
      <SelectField label="Platform" value={platform} onChange={setPlatform} testId="pull-platform">
        <option value={HOST}>This machine{info.data ? ` (${info.data.platform})` : ''}</option>
        {commonPlatforms
          .filter((p) => p !== info.data?.platform)
          .map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        <option value={ALL}>All platforms</option>
      </SelectField>
    </FormDialog>
  );
}
