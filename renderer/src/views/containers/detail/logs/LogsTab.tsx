import { useDeferredValue, useMemo, useState } from 'react';
import { formatCount } from '../../../../../../core/text/humanize';
import { SearchBox } from '../../../../components/SearchBox';
import { LogView } from './LogView';
import { lineMatches } from './logText';
import { FIRST_TAIL, useLogStream } from './useLogStream';

function Toggle({
  pressed,
  onChange,
  children,
  testId,
}: {
  pressed: boolean;
  onChange: (pressed: boolean) => void;
  children: string;
  testId: string;
}) {
  return (
    <button
      type="button"
      className="toggle-button"
      aria-pressed={pressed}
      data-testid={testId}
      onClick={() => onChange(!pressed)}
    >
      {children}
    </button>
  );
}

/** The container's log as it streams: search with highlights, follow, timestamps; stderr marked. */
export function LogsTab({ containerId, name }: { containerId: string; name: string }) {
  const stream = useLogStream(containerId);
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(true);
  const [timestamps, setTimestamps] = useState(false);
  // Typing stays responsive while a long log re-filters in the background.
  const needle = useDeferredValue(search.trim());
  const shown = useMemo(
    () => (needle === '' ? stream.lines : stream.lines.filter((l) => lineMatches(l.text, needle))),
    [stream.lines, needle],
  );
  const count = stream.lines.length;
  const summary =
    needle === ''
      ? `${formatCount(count)} ${count === 1 ? 'line' : 'lines'}`
      : `${formatCount(shown.length)} of ${formatCount(count)} lines`;

  return (
    <div className="logs-tab">
      <div className="logs-tab__toolbar">
        <SearchBox
          value={search}
          onChange={setSearch}
          label="Search the logs"
          placeholder="Search the logs"
          clearLabel="Clear the log search"
          testId="logs-search"
          compact
        />
        <span className="logs-tab__summary" data-testid="logs-summary" aria-live="polite">
          {summary}
        </span>
        <span className="logs-tab__spacer" />
        <Toggle pressed={timestamps} onChange={setTimestamps} testId="logs-timestamps">
          Timestamps
        </Toggle>
        <Toggle pressed={follow} onChange={setFollow} testId="logs-follow">
          Follow
        </Toggle>
      </div>
      {stream.truncated && (
        <p className="logs-tab__note" data-testid="logs-truncated">
          Earlier lines are not shown here (at most the last {formatCount(FIRST_TAIL)} at first); the whole log is in the file the
          Inspect tab names.
        </p>
      )}
      {stream.error ? (
        <p className="placeholder" role="alert" data-testid="logs-error">
          {stream.error}
        </p>
      ) : count === 0 ? (
        <p className="placeholder logs-tab__empty" data-testid="logs-empty">
          {stream.ended ? 'The container wrote nothing.' : 'Nothing yet: lines appear as the container writes them.'}
        </p>
      ) : shown.length === 0 ? (
        <p className="placeholder logs-tab__empty" data-testid="logs-no-match">
          No line has “{needle}”.
        </p>
      ) : (
        <LogView
          lines={shown}
          search={needle}
          timestamps={timestamps}
          follow={follow}
          onFollowChange={setFollow}
          label={`Logs of ${name}`}
        />
      )}
      {stream.ended && count > 0 && (
        <p className="logs-tab__end" data-testid="logs-ended">
          The container is not running; its next start continues here.
        </p>
      )}
    </div>
  );
}
