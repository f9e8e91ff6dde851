import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { invoke } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';
import { TextField } from '../../components/form/TextField';
import { useSubmit } from '../../components/useSubmit';
import { registryKeys } from '../../queries/registryQueries';

/**
 * Logs in to a registry; the engine checks the credentials against it before saving them (in
 * Docker's config.json, or its credential helper). The password lives in this form only while
 * it is open, and is cleared after a refusal.
 */
export function LoginDialog({
  host,
  username: knownUser,
  onClose,
}: {
  host: string;
  username: string | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState(knownUser ?? '');
  const [password, setPassword] = useState('');
  const submit = useSubmit();
  const ready = username.trim() !== '' && password !== '';

  const onSubmit = () => {
    if (!ready || submit.pending) return;
    void submit.run(async () => {
      try {
        await invoke('registry.login', { registry: host, username: username.trim(), password });
      } catch (err) {
        setPassword('');
        throw err;
      }
      setPassword('');
      await queryClient.invalidateQueries({ queryKey: registryKeys.all });
      onClose();
    });
  };

  return (
    <FormDialog
      title={`Log in to ${host}`}
      description="Saved in Docker's config.json (or its credential helper), so docker and podman use the login too."
      testIdPrefix="login"
      onClose={onClose}
      onSubmit={onSubmit}
      submit={submit}
      submitLabel="Log in"
      pendingLabel="Logging in…"
      ready={ready}
    >
      <TextField
        label="Username"
        value={username}
        onChange={setUsername}
        autoFocus
        autoComplete="username"
        testId="login-username"
      />
      <TextField
        label="Password or token"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        testId="login-password"
      />
    </FormDialog>
  );
}
