import { shortId } from '../../../core/text/humanize';
import { CopyButton } from './CopyButton';

/**
 * A digest as people read it: the first 12 hex digits (as docker prints IDs), the full value in
 * the tooltip, and a button to copy the full value. `full` shows every digit instead.
 */
export function Digest({
  value,
  label,
  full = false,
  testId,
}: {
  value: string;
  label: string;
  full?: boolean;
  testId?: string;
}) {
  return (
    <span className="digest">
      <code className="digest__text" title={value} data-testid={testId}>
        {full ? value : shortId(value)}
      </code>
      <CopyButton text={value} label={`Copy ${label}`} />
    </span>
  );
}
