import { useState } from 'react';
import { PushIcon } from '../../components/transferIcons';
import { PushDialog } from './PushDialog';

/** The detail header's Push button and its dialog. */
export function PushButton({ imageRef, reference, title }: { imageRef: string; reference: string | null; title: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button--with-icon button--small"
        title="Push to a registry"
        data-testid="push-button"
        onClick={() => setOpen(true)}
      >
        <PushIcon />
        Push
      </button>
      {open && <PushDialog imageRef={imageRef} reference={reference} title={title} onClose={() => setOpen(false)} />}
    </>
  );
}
