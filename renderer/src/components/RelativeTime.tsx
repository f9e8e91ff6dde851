import { relativeTime } from '../../../core/text/humanize';
import { useNow } from './useNow';

/** "3 minutes ago", ticking with the shared clock; mid-sentence when `lower` ("created less than a second ago"). */
export function RelativeTime({ iso, lower = false }: { iso: string | null; lower?: boolean }) {
  const now = useNow();
  const text = relativeTime(iso, now);
  return <span title={iso ?? undefined}>{lower && text !== 'N/A' ? text.charAt(0).toLowerCase() + text.slice(1) : text}</span>;
}
