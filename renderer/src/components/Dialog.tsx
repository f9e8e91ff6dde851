import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import { CloseIcon } from './icons';

/**
 * A modal dialog on the native <dialog>: showModal() makes the rest of the page inert, Tab goes
 * round its controls, and Escape closes it. The body is a form, so Enter submits. Mark the field to
 * start in with `data-autofocus`.
 */
export function Dialog({
  title,
  description,
  children,
  actions,
  onClose,
  onSubmit,
  onInput,
  testId,
  wide = false,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** The footer's buttons; a type="submit" one submits the form. */
  actions: ReactNode;
  onClose: () => void;
  onSubmit: () => void;
  /** Any field of the form changed (a key typed, a box ticked, an option or a file chosen). */
  onInput?: () => void;
  testId: string;
  /** For a form with rows of fields side by side (the Run dialog). */
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // The latest onClose, without reopening the dialog when its identity changes.
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Focus returns where it was when the dialog closes (showModal does not do it everywhere).
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // React's autoFocus runs before showModal, while the dialog cannot take focus; showModal's own
    // choice is the first focusable element, the Close button. The field the dialog is for, or else
    // the first field, or else the first action (Cancel, on a confirmation), is the better start.
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>('.dialog__body :is(input, select, textarea, button)') ??
      dialog.querySelector<HTMLElement>('.dialog__actions button');
    first?.focus();
    const onCancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={testId}
      onKeyDown={(e) => {
        // Keys stay in the dialog: an Escape must not also close the panel that opened it.
        e.stopPropagation();
        if (e.key === 'Tab' && ref.current) wrapFocus(ref.current, e);
      }}
    >
      <form
        className="dialog__form"
        noValidate
        onInput={onInput}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <header className="dialog__header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" title="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        {description && (
          <p id={descriptionId} className="dialog__description">
            {description}
          </p>
        )}
        <div className="dialog__body">{children}</div>
        <footer className="dialog__actions">{actions}</footer>
      </form>
    </dialog>
  );
}

const focusable =
  'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), a[href], [tabindex="0"]';

/**
 * The inert page behind a modal keeps Tab off it, but Tab past the last control would still
 * leave for the browser's own UI: it goes round to the first instead (and Shift+Tab the other way).
 */
function wrapFocus(dialog: HTMLDialogElement, e: KeyboardEvent<HTMLDialogElement>): void {
  const items = [...dialog.querySelectorAll<HTMLElement>(focusable)];
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

export interface DialogActionsProps {
  onCancel: () => void;
  /** The submit button's word, and what it says while the engine works on it. */
  label: string;
  pendingLabel: string;
  pending: boolean;
  /** Blocks submitting until the form is complete (the engine still has the last word). */
  ready?: boolean;
  testId: string;
}

/** Cancel and a submit button: every dialog's footer. */
export function DialogActions({ onCancel, label, pendingLabel, pending, ready = true, testId }: DialogActionsProps) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button--primary" disabled={!ready || pending} data-testid={testId}>
        {pending ? pendingLabel : label}
      </button>
    </>
  );
}
