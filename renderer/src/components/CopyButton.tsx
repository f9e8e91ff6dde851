import { useEffect, useState } from 'react';
import { copyText } from './clipboard';
import { CheckIcon, CopyIcon } from './icons';

/** A small icon button that copies `text`; `label` says what, for screen readers and the tooltip. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);

  const title = state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : label;
  return (
    <button
      type="button"
      className="icon-button copy-button"
      data-state={state}
      aria-label={label}
      title={title}
      onClick={(e) => {
        e.stopPropagation();
        copyText(text).then(
          () => setState('copied'),
          () => setState('failed'),
        );
      }}
    >
      {state === 'copied' ? <CheckIcon /> : <CopyIcon />}
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? 'Copied' : ''}
      </span>
    </button>
  );
}
