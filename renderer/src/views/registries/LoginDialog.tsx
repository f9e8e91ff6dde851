import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { invoke } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
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
  const userId = useId();
  const passwordId = useId();
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
    <Dialog
      title={`Log in to ${host}`}
      description="Saved in Docker's config.json (or its credential helper), so docker and podman use the login too."
      testId="login-dialog"
      onClose={onClose}
      onSubmit={onSubmit}
      actions={
        <DialogActions
          onCancel={onClose}
          label="Log in"
          pendingLabel="Logging in…"
          pending={submit.pending}
          ready={ready}
          testId="login-submit"
        />
      }
    >
      <div className="form-field">
        <label htmlFor={userId} className="form-field__label">
          Username
        </label>
        <input
          id={userId}
          className="text-input"
          value={username}
          data-autofocus
          autoComplete="username"
          spellCheck={false}
          data-testid="login-username"
          onChange={(e) => setUsername(e.target.value)}
        />
      </div>
      <div className="form-field">
        <label htmlFor={passwordId} className="form-field__label">
          Password or token
        </label>
        <input
          id={passwordId}
          type="password"
          className="text-input"
          value={password}
          autoComplete="current-password"
          data-testid="login-password"
          onChange={(e) => {
            setPassword(e.target.value);
            submit.setError(null);
          }}
        />
      </div>
      {submit.error && (
        <p className="form-error" role="alert" data-testid="login-error">
          {submit.error}
        </p>
      )}
    </Dialog>
  );
}
