import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { checkNetworkName, parseSubnetText } from '../../../../core/api/networkSpec';
import { invoke } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';
import { CheckField } from '../../components/form/CheckField';
import { TextField } from '../../components/form/TextField';
import { sentence, useSubmit } from '../../components/useSubmit';
import { networkKeys } from '../../queries/networkQueries';

/**
 * `network create NAME [--subnet CIDR] [--internal]`: the name and subnet refused as they are
 * typed, in the engine's words (core/api/networkSpec.ts); a name taken or a subnet another network
 * holds is the engine's refusal, shown in the form.
 */
export function CreateNetworkDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [subnet, setSubnet] = useState('');
  const [internal, setInternal] = useState(false);
  const submit = useSubmit();
  const trimmedName = name.trim();
  const trimmedSubnet = subnet.trim();
  // Nothing is said of an empty name before anything was typed; the button waits for one.
  const nameProblem = trimmedName === '' ? null : checkNetworkName(trimmedName);
  const parsed = trimmedSubnet === '' ? null : parseSubnetText(trimmedSubnet);
  const subnetProblem = parsed && !parsed.ok ? sentence(parsed.message) : null;
  const ready = trimmedName !== '' && nameProblem === null && subnetProblem === null;

  return (
    <FormDialog
      title="Create a network"
      testIdPrefix="create-network"
      submit={submit}
      submitLabel="Create"
      pendingLabel="Creating…"
      ready={ready}
      onClose={onClose}
      onSubmit={() => {
        if (!ready || submit.pending) return;
        void submit.run(async () => {
          try {
            await invoke('networks.create', {
              name: trimmedName,
              ...(trimmedSubnet ? { subnet: trimmedSubnet } : {}),
              ...(internal ? { internal } : {}),
            });
          } finally {
            await queryClient.invalidateQueries({ queryKey: networkKeys.all });
          }
          onClose();
        });
      }}
    >
      <TextField
        label="Name"
        value={name}
        onChange={setName}
        error={nameProblem ? sentence(nameProblem) : null}
        placeholder="backend"
        testId="network-name"
        mono
        autoFocus
      />
      <TextField
        label="Subnet"
        value={subnet}
        onChange={setSubnet}
        error={subnetProblem}
        hint="Optional, as CIDR. Empty takes a free /24 of 10.214.0.0/15."
        placeholder="10.220.0.0/24"
        testId="network-subnet"
        mono
      />
      <CheckField
        label="Internal"
        checked={internal}
        onChange={setInternal}
        hint="Its containers reach each other but nothing outside it."
        testId="network-internal"
      />
    </FormDialog>
  );
}
