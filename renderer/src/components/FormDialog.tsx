import type { ReactNode } from 'react';
import { Dialog, DialogActions } from './Dialog';
import { FormError } from './form/FormError';

/**
 * A dialog whose form goes to the engine (`submit` is its useSubmit): Cancel and the submit
 * button, held while the form is not `ready` or the engine works on it, and the engine's refusal
 * at the end of the form, cleared as soon as any field changes. Test ids: `${testIdPrefix}-dialog`, `-submit` and `-error`.
 */
export function FormDialog({
  title,
  description,
  testIdPrefix,
  wide = false,
  submit,
  submitLabel,
  pendingLabel,
  ready = true,
  onClose,
  onSubmit,
  children,
}: {
  title: string;
  description?: ReactNode;
  testIdPrefix: string;
  wide?: boolean;
  submit: { pending: boolean; error: string | null; setError: (error: string | null) => void };
  /** The submit button's word, and what it says while the engine works on it. */
  submitLabel: string;
  pendingLabel: string;
  ready?: boolean;
  onClose: () => void;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      title={title}
      description={description}
      testId={`${testIdPrefix}-dialog`}
      wide={wide}
      onClose={onClose}
      onSubmit={onSubmit}
      onInput={() => submit.setError(null)}
      actions={
        <DialogActions
          onCancel={onClose}
          label={submitLabel}
          pendingLabel={pendingLabel}
          pending={submit.pending}
          ready={ready}
          testId={`${testIdPrefix}-submit`}
        />
      }
    >
      {children}
      <FormError error={submit.error} testId={`${testIdPrefix}-error`} />
    </Dialog>
  );
}
