import type { ImageDetail } from '../../../../../core/api/images.schema';
import { relativeTime } from '../../../../../core/text/humanize';
import { historyCommand } from './imageText';
import { Section } from './Section';

export function HistorySection({ detail }: { detail: ImageDetail }) {
  if (detail.history.length === 0) {
    return (
      <Section title="History">
        <p className="none">The image config records no history.</p>
      </Section>
    );
  }
  return (
    <Section title="History" aside={<span className="count">{detail.history.length}</span>}>
      <ol className="history" data-testid="history">
        {detail.history.map((h, i) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list in which a step may repeat
            key={`${i}:${h.createdBy}`}
            className={`history__step${h.emptyLayer ? ' is-empty' : ''}`}
            data-testid="history-step"
          >
            <code className="history__command" title={h.createdBy || undefined}>
              {historyCommand(h.createdBy) || h.comment || '(no command recorded)'}
            </code>
            <span className="history__meta">
              {h.emptyLayer && (
                <span className="badge" title="This step changed only the config; it added no layer">
                  no layer
                </span>
              )}
              {h.created && <span title={h.created}>{relativeTime(h.created)}</span>}
            </span>
          </li>
        ))}
      </ol>
    </Section>
  );
}
