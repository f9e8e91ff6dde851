import { useState } from 'react';
import { PullIcon } from '../../components/transferIcons';
import { PullDialog } from './PullDialog';

/** The Pull button and the dialog it opens; dropped into a view header or an empty state. */
export function PullButton({ primary = false, testId = 'pull-button' }: { primary?: boolean; testId?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={`button button--with-icon${primary ? ' button--primary' : ''}`}
        data-testid={testId}
        onClick={() => setOpen(true)}
      >
        <PullIcon />
        Pull
      </button>
      {open && <PullDialog onClose={() => setOpen(false)} />}
    </>
  );
}
