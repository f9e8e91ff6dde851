import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { formatBytes } from '../../../../core/text/humanize';
import { invoke } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';
import { CheckField } from '../../components/form/CheckField';
import { FormField } from '../../components/form/FormField';
import { TextField } from '../../components/form/TextField';
import { useSubmit } from '../../components/useSubmit';
import { registryKeys } from '../../queries/registryQueries';
import { checkRegistryHost, registryHost } from '../pull/referenceCheck';

/** A CA bigger than this is not one certificate chain; the engine refuses over 1 MiB anyway. */
const MAX_CA_BYTES = 256 * 1024;

interface CaFile {
  name: string;
  size: number;
  pem: string;
}

/** Reads the chosen file in the page: the engine gets the PEM text, never a path it would have to trust. */
async function readCa(file: File): Promise<CaFile> {
  if (file.size > MAX_CA_BYTES) throw new Error(`${file.name} is ${formatBytes(file.size)}: too big for a CA certificate.`);
  const pem = await file.text();
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`${file.name} is not a PEM certificate (it has no “-----BEGIN CERTIFICATE-----” line).`);
  }
  return { name: file.name, size: file.size, pem };
}

/** Adds a registry: its host, whether plain http / unverified TLS is allowed, and a CA to trust for it. */
export function AddRegistryDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (host: string) => void }) {
  const queryClient = useQueryClient();
  const [host, setHost] = useState('');
  const [touched, setTouched] = useState(false);
  const [insecure, setInsecure] = useState(false);
  const [ca, setCa] = useState<CaFile | null>(null);
  const [caProblem, setCaProblem] = useState<string | null>(null);
  const submit = useSubmit();
  const caId = useId();
  const caHintId = useId();

  const hostProblem = checkRegistryHost(host);
  const ready = hostProblem === null && caProblem === null;

  const onSubmit = () => {
    setTouched(true);
    if (!ready || submit.pending) return;
    void submit.run(async () => {
      const added = await invoke('registry.add', {
        registry: registryHost(host),
        insecure,
        ...(ca ? { caPem: ca.pem } : {}),
      });
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
      onAdded(added.host);
      onClose();
    });
  };

  return (
    <FormDialog
      title="Add a registry"
      testIdPrefix="add-registry"
      onClose={onClose}
      onSubmit={onSubmit}
      submit={submit}
      submitLabel="Add"
      pendingLabel="Adding…"
    >
      <TextField
        label="Host"
        value={host}
        onChange={setHost}
        hint="A host or host:port; a URL works too (https://registry.example:5000)."
        error={touched || host !== '' ? hostProblem : null}
        autoFocus
        placeholder="registry.example:5000"
        testId="registry-host"
      />
      <CheckField
        label="Insecure"
        checked={insecure}
        onChange={setInsecure}
        hint="Allows plain http and TLS certificates that cannot be verified. Not needed for localhost or 127.0.0.1."
        testId="registry-insecure"
      />
      <FormField
        label="CA certificate (optional)"
        htmlFor={caId}
        hintId={caHintId}
        hint={
          ca ? (
            <span data-testid="registry-ca-chosen">
              {ca.name} ({formatBytes(ca.size)}), trusted for this registry only
            </span>
          ) : (
            'A PEM file for a registry whose certificate a private CA signed.'
          )
        }
        error={caProblem}
      >
        <input
          id={caId}
          type="file"
          className="file-input"
          accept=".crt,.pem,.cer,application/x-pem-file,application/x-x509-ca-cert"
          aria-describedby={caHintId}
          data-testid="registry-ca"
          onChange={(e) => {
            const file = e.target.files?.[0];
            setCa(null);
            setCaProblem(null);
            if (!file) return;
            readCa(file).then(setCa, (err: Error) => setCaProblem(err.message));
          }}
        />
      </FormField>
    </FormDialog>
  );
}
